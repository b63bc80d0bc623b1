// SPDX-License-Identifier: GPL-2.0
/*
 * kvmexit console: follow a policy's output ring buffer, and feed it input through its user
 * ring buffer. The maps are found from kvmexit's pinned link for the VM alone (link ->
 * struct_ops map -> the ids of its programs, read through the kernel's BTF of the map's value
 * -> their maps), so any policy object works, without its skeleton.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "console.h"
#include "interrupt.h"
#include "pins.h"
#include "vms.h"

#define CTRL_RIGHT_BRACKET	0x1d
#define POLL_MS			200

static int member_offset(const struct btf *btf, const struct btf_type *t, const char *name,
			 __u32 *type_id)
{
	const struct btf_member *m = btf_members(t);
	__u32 i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		*type_id = m->type;
		return btf_member_bit_offset(t, i) / 8;
	}
	return -ENOENT;
}

/* Note the object that failed in maps->failed; returns @err. */
static int failed_on(struct console_maps *maps, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int failed_on(struct console_maps *maps, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(maps->failed, sizeof(maps->failed), fmt, ap);
	va_end(ap);
	return err;
}

/* Note a program's ring buffers; 0, or -errno. */
static int scan_prog_maps(__u32 prog_id, struct console_maps *maps)
{
	struct bpf_prog_info info = {};
	struct bpf_map_info map_info;
	__u32 len = sizeof(info), map_ids[64], i, *id;
	int prog_fd, map_fd, *slot, err = 0;

	prog_fd = bpf_prog_get_fd_by_id(prog_id);
	if (prog_fd < 0)
		return failed_on(maps, -errno, "program %u", prog_id);
	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (__u64)(unsigned long)map_ids;
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &len))
		err = failed_on(maps, -errno, "program %u", prog_id);
	close(prog_fd);
	for (i = 0; !err && i < info.nr_map_ids && i < sizeof(map_ids) / sizeof(map_ids[0]); i++) {
		map_fd = bpf_map_get_fd_by_id(map_ids[i]);
		if (map_fd < 0)
			return failed_on(maps, -errno, "map %u of program %u", map_ids[i], prog_id);
		memset(&map_info, 0, sizeof(map_info));
		len = sizeof(map_info);
		if (bpf_map_get_info_by_fd(map_fd, &map_info, &len)) {
			err = failed_on(maps, -errno, "map %u of program %u", map_ids[i], prog_id);
			close(map_fd);
			break;
		}
		if (map_info.type == BPF_MAP_TYPE_RINGBUF) {
			slot = &maps->out_fd;
			id = &maps->out_id;
		} else if (map_info.type == BPF_MAP_TYPE_USER_RINGBUF) {
			slot = &maps->in_fd;
			id = &maps->in_id;
		} else {
			close(map_fd);
			continue;
		}
		/* Several programs of the policy may use the same map. */
		if (*slot >= 0) {
			close(map_fd);
			if (*id != map_info.id)
				err = failed_on(maps, -ENOTUNIQ, "maps %u and %u", *id, map_info.id);
			continue;
		}
		*slot = map_fd;
		*id = map_info.id;
	}
	return err;
}

int find_console_maps(int link_fd, struct console_maps *maps)
{
	struct bpf_link_info link_info = {};
	struct bpf_map_info map_info = {};
	__u32 len = sizeof(link_info), type_id, zero = 0;
	const struct btf_type *value_t, *ops_t, *member_t;
	const struct btf_member *m;
	struct btf *vmlinux = NULL;
	int map_fd, data_off, err;
	__u32 i;
	__u64 prog_id;
	char *value = NULL;

	*maps = (struct console_maps){ .out_fd = -1, .in_fd = -1, .input_prog_fd = -1 };
	if (bpf_link_get_info_by_fd(link_fd, &link_info, &len))
		return failed_on(maps, -errno, "the pinned link");
	if (link_info.type != BPF_LINK_TYPE_STRUCT_OPS)
		return failed_on(maps, -EINVAL, "link %u (not struct_ops)", link_info.id);
	maps->policy_id = link_info.struct_ops.map_id;
	map_fd = bpf_map_get_fd_by_id(maps->policy_id);
	if (map_fd < 0)
		return failed_on(maps, -errno, "struct_ops map %u", maps->policy_id);
	len = sizeof(map_info);
	err = bpf_map_get_info_by_fd(map_fd, &map_info, &len) ? -errno : 0;
	if (!err) {
		value = calloc(1, map_info.value_size);
		err = value ? 0 : -ENOMEM;
	}
	/* The value holds the ids of the programs behind each callback. */
	if (!err && bpf_map_lookup_elem(map_fd, &zero, value))
		err = -errno;
	if (err) {
		failed_on(maps, err, "struct_ops map %u", maps->policy_id);
		goto out;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux) {
		err = failed_on(maps, -errno, "the kernel's BTF");
		goto out;
	}
	value_t = btf__type_by_id(vmlinux, map_info.btf_vmlinux_value_type_id);
	data_off = value_t && btf_is_struct(value_t) ?
		   member_offset(vmlinux, value_t, "data", &type_id) : -EINVAL;
	if (data_off < 0) {
		err = failed_on(maps, data_off, "the BTF type of struct_ops map %u",
				maps->policy_id);
		goto out;
	}
	ops_t = btf__type_by_id(vmlinux, type_id);
	m = btf_members(ops_t);
	for (i = 0; !err && i < btf_vlen(ops_t); i++, m++) {
		member_t = btf__type_by_id(vmlinux, m->type);
		if (!btf_is_ptr(member_t))
			continue;
		memcpy(&prog_id, value + data_off + btf_member_bit_offset(ops_t, i) / 8,
		       sizeof(prog_id));
		if (prog_id)
			err = scan_prog_maps(prog_id, maps);
	}
	if (!err && maps->out_fd < 0)
		err = failed_on(maps, -ENOENT, "struct_ops map %u", maps->policy_id);
out:
	btf__free(vmlinux);
	free(value);
	close(map_fd);
	if (err) {
		if (maps->out_fd >= 0)
			close(maps->out_fd);
		if (maps->in_fd >= 0)
			close(maps->in_fd);
		maps->out_fd = maps->in_fd = -1;
	}
	return err;
}

static int write_output(void *unused, void *data, size_t size)
{
	const char *p = data;
	ssize_t n;

	while (size) {
		if (interrupted)
			return -EINTR;	/* stdout may be stuck: do not wait for it */
		n = write(STDOUT_FILENO, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		size -= n;
	}
	return 0;
}

/* Queue what is pending, a byte per record, as far as the ring has room; 1 on Ctrl-]. */
static int push_input(struct user_ring_buffer *in, const char *buf, size_t *start, size_t end,
		      bool raw)
{
	void *sample;

	for (; *start < end; (*start)++) {
		if (raw && buf[*start] == CTRL_RIGHT_BRACKET)
			return 1;
		sample = user_ring_buffer__reserve(in, 1);
		if (!sample)
			return errno == ENOSPC ? 0 : -errno;	/* full: the guest is not reading */
		*(char *)sample = buf[*start];
		user_ring_buffer__submit(in, sample);
	}
	return 0;
}

/*
 * Have the policy take what was queued now (its input program), so the guest gets its
 * interrupt without touching the device first. A failure is the policy's to count (its
 * return value is its last error): input still reaches the guest at its next access.
 */
static void hand_over(const struct console_maps *maps)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);

	if (maps->input_prog_fd >= 0)
		bpf_prog_test_run_opts(maps->input_prog_fd, &run);
}

int follow_check(uint32_t policy_id, pid_t pid, int vm_fd, const char *link_path,
		 enum follow_end *ended)
{
	/* Read first: a VMM that exits takes its VM's policies with it (their links detach). */
	int64_t id = pinned_policy_id(link_path);

	if (pid && process_exited(pid))
		*ended = FOLLOW_VMM_EXITED;
	else if (id == -ENOENT)
		*ended = FOLLOW_DETACHED;
	else if (id < 0)
		return id;
	/*
	 * KVM detaches the link of a policy it ejects; kvmexit detach detaches the link
	 * before it removes the pin: a link without a map is one of those, not a replace.
	 */
	else if (!id)
		*ended = vm_eject_reason(pid, vm_fd) ? FOLLOW_EJECTED : FOLLOW_DETACHED;
	else if (id != policy_id)
		*ended = FOLLOW_REPLACED;
	return 0;
}

int run_console(const struct console_maps *maps, pid_t pid, int vm_fd, const char *link_path,
		enum follow_end *ended)
{
	struct user_ring_buffer *in = NULL;
	struct termios saved, raw_mode;
	struct ring_buffer *out;
	bool raw = false, stdin_open = maps->in_fd >= 0;
	char buf[256];
	size_t start = 0, end = 0;
	struct pollfd fds[2];
	ssize_t n;
	int err = 0, ret;

	*ended = FOLLOW_STOPPED;
	out = ring_buffer__new(maps->out_fd, write_output, NULL, NULL);
	if (!out)
		return -errno;
	if (stdin_open) {
		in = user_ring_buffer__new(maps->in_fd, NULL);
		if (!in) {
			err = -errno;
			ring_buffer__free(out);
			return err;
		}
	}
	if (stdin_open && isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved)) {
		raw_mode = saved;
		cfmakeraw(&raw_mode);
		raw = !tcsetattr(STDIN_FILENO, TCSANOW, &raw_mode);
	}
	catch_interrupts();
	signal(SIGPIPE, SIG_IGN);

	fds[0] = (struct pollfd){ .fd = ring_buffer__epoll_fd(out), .events = POLLIN };
	while (!interrupted) {
		fds[1] = (struct pollfd){ .fd = stdin_open && start == end ? STDIN_FILENO : -1,
					  .events = POLLIN };
		ret = poll(fds, 2, POLL_MS);
		if (ret < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		ret = ring_buffer__consume(out);
		if (ret < 0 && ret != -EINTR) {
			err = ret;
			break;
		}
		if (fds[1].fd >= 0 && (fds[1].revents & (POLLERR | POLLNVAL))) {
			/* Closed or broken: poll() would report it at once on every pass. */
			stdin_open = false;
		} else if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0 && !(n < 0 && errno == EINTR))
				stdin_open = false;	/* EOF: output goes on */
			start = 0;
			end = n > 0 ? n : 0;
		}
		if (start < end) {
			ret = push_input(in, buf, &start, end, raw);
			if (ret) {
				err = ret < 0 ? ret : 0;
				break;
			}
			/* Also while the ring is full: the guest may have read meanwhile. */
			hand_over(maps);
		}
		err = follow_check(maps->policy_id, pid, vm_fd, link_path, ended);
		if (err || *ended != FOLLOW_STOPPED)
			break;
	}
	ring_buffer__consume(out);
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	user_ring_buffer__free(in);
	ring_buffer__free(out);
	return err;
}
