// SPDX-License-Identifier: GPL-2.0
/* The KVM API calls of the test VMM. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testdev.h"
#include "vm.h"

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("testvmm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0)
		die("%s: %s", what, strerror(errno));
	return ret;
}

static void vgic_set_addr(struct vm *vm, uint64_t type, uint64_t addr)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		.attr = type,
		.addr = (uint64_t)(uintptr_t)&addr,
	};

	xioctl(vm->vgic_fd, KVM_SET_DEVICE_ATTR, &attr, "vGICv3 KVM_DEV_ARM_VGIC_GRP_ADDR");
}

void vm_create(struct vm *vm)
{
	vm_create_type(vm, 0);
}

void vm_create_type(struct vm *vm, unsigned long type)
{
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct kvm_userspace_memory_region slot = {
		.slot = 0,
		.guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = GUEST_RAM_SIZE,
	};

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die("/dev/kvm: %s", strerror(errno));
	vm->mmap_size = xioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL, "KVM_GET_VCPU_MMAP_SIZE");
	vm->fd = xioctl(vm->kvm_fd, KVM_CREATE_VM, (void *)type, "KVM_CREATE_VM");

	vm->ram = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED)
		die("guest RAM mmap: %s", strerror(errno));
	slot.userspace_addr = (uint64_t)(uintptr_t)vm->ram;
	xioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot, "KVM_SET_USER_MEMORY_REGION");

	xioctl(vm->fd, KVM_CREATE_DEVICE, &gic, "KVM_CREATE_DEVICE(vGICv3)");
	vm->vgic_fd = gic.fd;
	vgic_set_addr(vm, KVM_VGIC_V3_ADDR_TYPE_DIST, GIC_DIST_BASE);
	vgic_set_addr(vm, KVM_VGIC_V3_ADDR_TYPE_REDIST, GIC_REDIST_BASE);
}

void vm_enable_cap(struct vm *vm, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg0 } };
	char what[48];

	snprintf(what, sizeof(what), "KVM_ENABLE_CAP(%u)", cap);
	xioctl(vm->fd, KVM_ENABLE_CAP, &c, what);
}

void vm_set_smccc_filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action)
{
	struct kvm_smccc_filter filter = {
		.base = base,
		.nr_functions = nr,
		.action = action,
	};
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (uint64_t)(uintptr_t)&filter,
	};

	xioctl(vm->fd, KVM_SET_DEVICE_ATTR, &attr, "KVM_ARM_VM_SMCCC_FILTER");
}

void vm_load_image(struct vm *vm, const void *image, size_t size)
{
	if (size > GUEST_RAM_SIZE / 2)
		die("guest image of %zu bytes does not fit in guest RAM", size);
	memcpy(vm->ram, image, size);
}

/* A VM that may stop (EIO) under the VMM: the next KVM_RUN reports it. */
static bool vcpu_stopped(struct vcpu *vcpu)
{
	vcpu->stopped = vcpu->may_stop && errno == EIO;
	return vcpu->stopped;
}

#define CORE_REG(name)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |	\
			 (offsetof(struct kvm_regs, name) / sizeof(uint32_t)))

static void vcpu_set_one_reg(struct vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&value };

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0 && !vcpu_stopped(vcpu))
		die("vCPU %d KVM_SET_ONE_REG(%#llx): %s", vcpu->id,
		    (unsigned long long)id, strerror(errno));
}

static uint64_t vcpu_get_one_reg(struct vcpu *vcpu, uint64_t id)
{
	uint64_t value = 0;
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&value };

	if (ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0 && !vcpu_stopped(vcpu))
		die("vCPU %d KVM_GET_ONE_REG(%#llx): %s", vcpu->id,
		    (unsigned long long)id, strerror(errno));
	return value;
}

uint64_t vcpu_get_reg(struct vcpu *vcpu, int n)
{
	return vcpu_get_one_reg(vcpu, CORE_REG(regs.regs[n]));
}

void vcpu_set_reg(struct vcpu *vcpu, int n, uint64_t value)
{
	vcpu_set_one_reg(vcpu, CORE_REG(regs.regs[n]), value);
}

void vcpu_create(struct vm *vm, struct vcpu *vcpu, int id, uint32_t features)
{
	struct kvm_vcpu_init init;
	char what[64];

	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = xioctl(vm->fd, KVM_CREATE_VCPU, (void *)(long)id, "KVM_CREATE_VCPU");
	vcpu->run = mmap(NULL, vm->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		die("vCPU %d kvm_run mmap: %s", id, strerror(errno));

	xioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init, "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= (1U << KVM_ARM_VCPU_PSCI_0_2) | features;
	snprintf(what, sizeof(what), "vCPU %d KVM_ARM_VCPU_INIT(features %#x)", id,
		 init.features[0]);
	xioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init, what);
	vcpu_set_one_reg(vcpu, CORE_REG(regs.pc), GUEST_RAM_BASE);
}

void vm_finalize(struct vm *vm)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		.attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
	};

	xioctl(vm->vgic_fd, KVM_SET_DEVICE_ATTR, &attr, "vGICv3 KVM_DEV_ARM_VGIC_CTRL_INIT");
}

void vcpu_destroy(struct vcpu *vcpu)
{
	munmap(vcpu->run, vcpu->vm->mmap_size);
	close(vcpu->fd);
}

void vm_destroy(struct vm *vm, struct vcpu *vcpus, int nr_vcpus)
{
	int i;

	for (i = 0; i < nr_vcpus; i++)
		vcpu_destroy(&vcpus[i]);
	close(vm->vgic_fd);
	close(vm->fd);
	close(vm->kvm_fd);
	munmap(vm->ram, GUEST_RAM_SIZE);
}

void vcpu_inject_ext_dabt(struct vcpu *vcpu)
{
	struct kvm_vcpu_events events = { .exception.ext_dabt_pending = 1 };

	if (ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &events) < 0)
		die("vCPU %d KVM_SET_VCPU_EVENTS(ext_dabt_pending): %s", vcpu->id,
		    strerror(errno));
}

void vm_synthetic_abort(struct vm *vm, uint64_t set, uint64_t clear)
{
	char path[96], value[64];
	int fd, len;

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/exit_bpf_synthetic_abort",
		 getpid(), vm->fd);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s (a kernel without CONFIG_KVM_ARM_EXIT_BPF_SYNTHETIC_ABORT?)", path,
		    strerror(errno));
	len = snprintf(value, sizeof(value), "%llx %llx", (unsigned long long)set,
		       (unsigned long long)clear);
	if (write(fd, value, len) != len)
		die("%s: %s", path, strerror(errno));
	close(fd);
}

/* Statistic @name of a VM or vCPU fd into *@value; false if KVM has none by that name. */
bool kvm_find_stat(int fd, const char *name, uint64_t *value)
{
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;
	bool found = false;
	size_t desc_size;
	int stats_fd;
	uint32_t i;

	stats_fd = xioctl(fd, KVM_GET_STATS_FD, NULL, "KVM_GET_STATS_FD");
	if (pread(stats_fd, &hdr, sizeof(hdr), 0) != sizeof(hdr))
		die("KVM stats header: %s", strerror(errno));
	desc_size = sizeof(*desc) + hdr.name_size;
	desc = malloc(desc_size);
	if (!desc)
		die("KVM stats descriptor: out of memory");
	for (i = 0; i < hdr.num_desc && !found; i++) {
		if (pread(stats_fd, desc, desc_size, hdr.desc_offset + i * desc_size) !=
		    (ssize_t)desc_size)
			die("KVM stats descriptor %u: %s", i, strerror(errno));
		if (strcmp(desc->name, name))
			continue;
		if (pread(stats_fd, value, sizeof(*value), hdr.data_offset + desc->offset) !=
		    sizeof(*value))
			die("KVM stat %s: %s", name, strerror(errno));
		found = true;
	}
	free(desc);
	close(stats_fd);
	return found;
}

uint64_t kvm_read_stat(int fd, const char *name)
{
	uint64_t value;

	if (!kvm_find_stat(fd, name, &value))
		die("no KVM statistic named %s", name);
	return value;
}

int vcpu_run(struct vcpu *vcpu)
{
	while (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
		/* immediate_exit: another thread stopped this vCPU (run.c). */
		if (errno != EINTR || vcpu->run->immediate_exit)
			return -errno;
	}
	return 0;
}
