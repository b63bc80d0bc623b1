// SPDX-License-Identifier: GPL-2.0
/*
 * Several policies on one VM (tests/bpf/chain_policy.bpf.c, guest tests/guest/chain.c):
 * placed with BEFORE/AFTER and an anchor, each call answered by the first policy that
 * answers it or by KVM, a refused or erring policy's staged writes dropped before the next
 * is asked, the erring one ejected alone, and every count exact: the guest's, each
 * policy's and KVM's. Then the chain's limits: an unknown anchor, a full chain, and a
 * host-wide policy, refused while the VM's chain is full, then first on it.
 */
#include <bpf/bpf.h>

#include "guests.h"
#include "libkvmexit.h"
#include "policy.h"
#include "policy_tests.h"
#include "chain_policy.skel.h"

DECLARE_GUEST(chain);

#define POLICY_BEFORE	(1U << 3)
#define POLICY_AFTER	(1U << 4)

static struct chain_policy *a, *b, *e, *extra[KVMEXIT_MAX_POLICIES];
static struct bpf_link *link_a, *link_b, *link_e, *extra_link[KVMEXIT_MAX_POLICIES];

static uint32_t map_id(struct chain_policy *skel)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_map_get_info_by_fd(bpf_map__fd(skel->maps.chain_policy), &info, &len))
		die("chain_policy: map info: %s", strerror(errno));
	return info.id;
}

/* A chain_policy for the VM with @tag, placed by @flags and @anchor (NULL: none). */
static struct chain_policy *open_placed(struct scenario_ctx *ctx, uint64_t tag, uint32_t flags,
					struct chain_policy *anchor)
{
	struct chain_policy *skel = policy_open(chain_policy, ctx->vm.fd);

	skel->rodata->tag = tag;
	skel->struct_ops.chain_policy->flags |= flags;
	if (anchor)
		skel->struct_ops.chain_policy->anchor_id = map_id(anchor);
	return skel;
}

static void chain_setup(struct scenario_ctx *ctx)
{
	b = open_placed(ctx, CHAIN_TAG_B, 0, NULL);
	b->rodata->answer[0] = CHAIN_B;
	b->rodata->answer[1] = CHAIN_BOTH;
	b->rodata->answer[2] = CHAIN_REFUSED;
	b->rodata->answer[3] = CHAIN_ERR;
	link_b = policy_attach(policy_load_opened(chain_policy, b)->maps.chain_policy);

	a = open_placed(ctx, CHAIN_TAG_A, POLICY_BEFORE, b);
	a->rodata->answer[0] = CHAIN_A;
	a->rodata->answer[1] = CHAIN_BOTH;
	a->rodata->refuse[0] = CHAIN_REFUSED;
	link_a = policy_attach(policy_load_opened(chain_policy, a)->maps.chain_policy);

	/* First of all, with no anchor. */
	e = open_placed(ctx, CHAIN_TAG_E, POLICY_BEFORE, NULL);
	e->rodata->err[0] = CHAIN_ERR;
	link_e = policy_attach(policy_load_opened(chain_policy, e)->maps.chain_policy);
}

/* The VM's chain must be @ids, in order, each the VM's own but for @nr_host host-wide first. */
static bool check_chain(struct scenario_ctx *ctx, const uint32_t *ids, int nr, int nr_host)
{
	struct kvmexit_chain_entry chain[KVMEXIT_MAX_POLICIES];
	int got = kvmexit_read_chain(ctx->vm.fd, chain, KVMEXIT_MAX_POLICIES), i;
	enum kvmexit_origin origin;

	if (got != nr)
		return scenario_fail(ctx, "the chain has %d policies, expected %d", got, nr);
	for (i = 0; i < nr; i++) {
		origin = i < nr_host ? KVMEXIT_ORIGIN_HOST : KVMEXIT_ORIGIN_VM;
		if (chain[i].id != ids[i] || chain[i].origin != origin)
			return scenario_fail(ctx, "chain position %d: id %u from %d, expected %u "
					     "from %d", i, chain[i].id, chain[i].origin, ids[i],
					     origin);
	}
	return true;
}

/*
 * A host-wide policy with no room on the VM's chain is refused (the VM must not miss it);
 * with room, it goes first, ahead of the VM's own.
 */
static bool check_host_first(struct scenario_ctx *ctx, uint32_t *ids)
{
	struct chain_policy *host = policy_load(chain_policy, -1);
	struct bpf_link *link = bpf_map__attach_struct_ops(host->maps.chain_policy);
	int last = KVMEXIT_MAX_POLICIES - 3, err = link ? 0 : errno;
	bool ok;

	bpf_link__destroy(link);
	if (err != E2BIG) {
		chain_policy__destroy(host);
		return scenario_fail(ctx, "host-wide policy with the VM's chain full: %s, "
				     "expected %s", err ? strerror(err) : "attached",
				     strerror(E2BIG));
	}
	bpf_link__destroy(extra_link[last]);
	chain_policy__destroy(extra[last]);
	extra_link[last] = NULL;
	extra[last] = NULL;
	link = policy_attach(host->maps.chain_policy);
	memmove(ids + 1, ids, (KVMEXIT_MAX_POLICIES - 1) * sizeof(*ids));
	ids[0] = map_id(host);
	ok = check_chain(ctx, ids, KVMEXIT_MAX_POLICIES, 1);
	bpf_link__destroy(link);
	chain_policy__destroy(host);
	if (ok)
		printf("testvmm: %s: a host-wide policy: %s while the chain was full, then first "
		       "on it\n", ctx->scenario->name, strerror(E2BIG));
	return ok;
}

static bool expect_count(struct scenario_ctx *ctx, const char *what, uint64_t got,
			 uint64_t want)
{
	if (got == want)
		return true;
	return scenario_fail(ctx, "%s: %llu, expected %llu", what, (unsigned long long)got,
			     (unsigned long long)want);
}

/* Attach one more declining policy placed by @flags and @anchor_id: its errno, 0 if it took. */
static int try_extra(struct scenario_ctx *ctx, int i, uint32_t flags, uint32_t anchor_id)
{
	extra[i] = open_placed(ctx, 0, flags, NULL);
	extra[i]->struct_ops.chain_policy->anchor_id = anchor_id;
	policy_load_opened(chain_policy, extra[i]);
	extra_link[i] = bpf_map__attach_struct_ops(extra[i]->maps.chain_policy);
	if (extra_link[i])
		return 0;
	chain_policy__destroy(extra[i]);
	extra[i] = NULL;
	return errno;
}

static bool check_limits(struct scenario_ctx *ctx)
{
	uint32_t ids[KVMEXIT_MAX_POLICIES] = { map_id(a), map_id(b) };
	int i, err;

	err = try_extra(ctx, 0, POLICY_AFTER, 0x7fffffff);
	if (err != ENOENT)
		return scenario_fail(ctx, "placed after a policy not on the VM: %s, expected %s",
				     strerror(err), strerror(ENOENT));
	/* A and B are there: six more fill the chain, each after the last. */
	for (i = 0; i < KVMEXIT_MAX_POLICIES - 2; i++) {
		err = try_extra(ctx, i, POLICY_AFTER, ids[i + 1]);
		if (err)
			return scenario_fail(ctx, "policy %d of %d: %s", i + 3,
					     KVMEXIT_MAX_POLICIES, strerror(err));
		ids[i + 2] = map_id(extra[i]);
	}
	if (!check_chain(ctx, ids, KVMEXIT_MAX_POLICIES, 0))
		return false;
	err = try_extra(ctx, i, 0, 0);
	if (err != E2BIG)
		return scenario_fail(ctx, "policy %d on a full chain: %s, expected %s",
				     KVMEXIT_MAX_POLICIES + 1, strerror(err), strerror(E2BIG));
	printf("testvmm: %s: %d policies on the VM; one more refused with %s\n",
	       ctx->scenario->name, KVMEXIT_MAX_POLICIES, strerror(err));
	return check_host_first(ctx, ids);
}

static bool chain_check(struct scenario_ctx *ctx)
{
	const uint64_t rounds = CHAIN_ROUNDS, err_calls = CHAIN_ERR_CALLS;
	uint64_t erred = e->bss->erred;
	uint32_t ids[] = { map_id(a), map_id(b) };

	printf("testvmm: %s: A answered %llu, B %llu; E erred %llu times before KVM ejected it\n",
	       ctx->scenario->name, (unsigned long long)a->bss->answered,
	       (unsigned long long)b->bss->answered, (unsigned long long)erred);
	return expect_count(ctx, "A answered", a->bss->answered, 2 * rounds) &&
	       expect_count(ctx, "A refused", a->bss->refused, rounds) &&
	       expect_count(ctx, "A declined", a->bss->declined, 2 * rounds + err_calls) &&
	       expect_count(ctx, "B answered", b->bss->answered, 2 * rounds + err_calls) &&
	       expect_count(ctx, "B declined", b->bss->declined, rounds) &&
	       expect_count(ctx, "E declined", e->bss->declined, 5 * rounds) &&
	       ((erred >= 64 && erred <= err_calls) ||
		scenario_fail(ctx, "E erred %llu times, expected 64..%llu",
			      (unsigned long long)erred, (unsigned long long)err_calls)) &&
	       expect_count(ctx, "KVM: handled", policy_stat(ctx, "hvc", "handled"),
			    4 * rounds + err_calls) &&
	       expect_count(ctx, "KVM: defaulted", policy_stat(ctx, "hvc", "defaulted"), rounds) &&
	       expect_count(ctx, "KVM: refused", policy_stat(ctx, "hvc", "refused"), rounds) &&
	       expect_count(ctx, "KVM: errors", policy_stat(ctx, "hvc", "errors"), erred) &&
	       check_chain(ctx, ids, 2, 0) && check_limits(ctx);
}

static void chain_cleanup(struct scenario_ctx *ctx)
{
	int i;

	for (i = 0; i < KVMEXIT_MAX_POLICIES; i++) {
		bpf_link__destroy(extra_link[i]);
		chain_policy__destroy(extra[i]);
	}
	bpf_link__destroy(link_e);
	bpf_link__destroy(link_a);
	bpf_link__destroy(link_b);
	chain_policy__destroy(e);
	chain_policy__destroy(a);
	chain_policy__destroy(b);
}

const struct scenario scenario_policy_chain = {
	.name = "policy-chain",
	.description = "three policies on one VM: order, first answer, per-policy contract",
	.guest = &guest_chain,
	.setup = chain_setup,
	.check = chain_check,
	.cleanup = chain_cleanup,
};
