// SPDX-License-Identifier: GPL-2.0
/*
 * kvmexit-testvmm: a minimal VMM for kvmexit's tests. Each scenario creates a VM (guest RAM,
 * in-kernel vGICv3), loads a bare-metal guest program, runs it and checks the exits it takes.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "scenario.h"

static const struct scenario *const scenarios[] = {
	&scenario_hvc_forward,
	&scenario_el2_hvc,
	&scenario_mmio,
	&scenario_nisv,
	&scenario_policy_mmio,
	&scenario_policy_hvc,
	&scenario_policy_nisv,
	&scenario_policy_nisv_forward,
	&scenario_policy_nisv_hostwide,
	&scenario_policy_hostwide,
	&scenario_policy_eject,
	&scenario_policy_eject_closed,
	&scenario_policy_contract,
	&scenario_policy_contract_hostwide,
	&scenario_policy_live,
	&scenario_policy_load,
	&scenario_policy_chain_load,
	&scenario_policy_pvm,
	&scenario_policy_lifetime,
	&scenario_vncr_default,
	&scenario_vncr_policy,
	&scenario_serve,
	&scenario_policy_spi,
	&scenario_policy_pl011,
	&scenario_policy_pl031,
	&scenario_policy_pl031_reset,
	&scenario_policy_vm_kfunc,
	&scenario_policy_vm_id,
	&scenario_policy_fastpath,
	&scenario_policy_fastpath_off,
	&scenario_policy_fastpath_signal,
	&scenario_policy_fastpath_shared,
	&scenario_policy_chain,
	&scenario_library,
	&scenario_serve_thread,
	&scenario_serve_recreate,
	&scenario_filter_isolation,
	&scenario_filter_isolation_other,
	&scenario_filter_edit_stress,
	&scenario_policy_fastpath_spin,
	&scenario_bench,
	&scenario_bench_baseline,
	&scenario_synthetic_sea,
	&scenario_synthetic_ldst64b,
	&scenario_filter_serve,
	&scenario_canonical,
	&scenario_canonical_sea_forward,
	&scenario_canonical_sea_serror,
	&scenario_vncr_observer,
	&scenario_vncr_observer_walk,
	&scenario_passthrough_mmio,
	&scenario_passthrough_hvc,
	&scenario_passthrough_nisv,
};
#define NR_SCENARIOS	(sizeof(scenarios) / sizeof(scenarios[0]))

static void usage(FILE *out)
{
	unsigned int i;

	fprintf(out,
		"usage: kvmexit-testvmm [--trace] SCENARIO...\n"
		"       kvmexit-testvmm --list\n"
		"Runs each scenario's guest in a fresh VM; exit status 0 if all passed,\n"
		"1 if one failed, 2 on a setup error.\n"
		"  -t, --trace  print every exit the VMM handles\n"
		"  -l, --list   list the scenarios\n"
		"scenarios:\n");
	for (i = 0; i < NR_SCENARIOS; i++)
		fprintf(out, "  %-12s %s\n", scenarios[i]->name, scenarios[i]->description);
}

static const struct scenario *find_scenario(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_SCENARIOS; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "trace", no_argument, NULL, 't' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const struct scenario *sc;
	bool trace = false;
	int opt, i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	policy_init();
	while ((opt = getopt_long(argc, argv, "tlh", options, NULL)) != -1) {
		switch (opt) {
		case 't':
			trace = true;
			break;
		case 'l':
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		if (!find_scenario(argv[i])) {
			fprintf(stderr, "kvmexit-testvmm: no scenario '%s'\n", argv[i]);
			return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		sc = find_scenario(argv[i]);
		failed |= run_scenario(sc, trace);
	}
	return failed ? 1 : 0;
}
