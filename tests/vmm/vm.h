/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal arm64 VM built with the KVM API: guest RAM, an in-kernel vGICv3, vCPUs. */
#ifndef KVMEXIT_VM_H
#define KVMEXIT_VM_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

struct vm {
	int kvm_fd;
	int fd;
	int vgic_fd;
	void *ram;
	int mmap_size;		/* of each vCPU's struct kvm_run */
};

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	/* Its VM may be stopped (KVM_RUN: EIO): register accesses then fail quietly... */
	bool may_stop;
	bool stopped;		/* ... and say so here */
};

/* Setup failures are fatal for a test VMM: print the object, the call and errno, exit 2. */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);

void vm_create(struct vm *vm);
/* A VM of KVM_CREATE_VM type @type (e.g. KVM_VM_TYPE_ARM_PROTECTED). */
void vm_create_type(struct vm *vm, unsigned long type);
void vm_enable_cap(struct vm *vm, uint32_t cap, uint64_t arg0);
void vm_set_smccc_filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action);
void vm_load_image(struct vm *vm, const void *image, size_t size);
/* Create a vCPU with extra KVM_ARM_VCPU_* features (bit mask), PC at the start of RAM. */
void vcpu_create(struct vm *vm, struct vcpu *vcpu, int id, uint32_t features);
/* After all vCPUs exist: initialize the vGIC. */
void vm_finalize(struct vm *vm);
void vcpu_destroy(struct vcpu *vcpu);
void vm_destroy(struct vm *vm, struct vcpu *vcpus, int nr_vcpus);

uint64_t vcpu_get_reg(struct vcpu *vcpu, int n);
void vcpu_set_reg(struct vcpu *vcpu, int n, uint64_t value);
/* Make the current exit's access complete as an external data abort in the guest. */
void vcpu_inject_ext_dabt(struct vcpu *vcpu);
/*
 * SYNTHETIC: make KVM see the VM's next stage-2 abort with ESR (esr & ~clear) | set, through
 * debugfs (CONFIG_KVM_ARM_EXIT_BPF_SYNTHETIC_ABORT).
 */
void vm_synthetic_abort(struct vm *vm, uint64_t set, uint64_t clear);
/* A KVM binary statistic of a VM or vCPU fd, by name; dies if there is none. */
bool kvm_find_stat(int fd, const char *name, uint64_t *value);
uint64_t kvm_read_stat(int fd, const char *name);
/* KVM_RUN; returns 0 on an exit to userspace, -errno when KVM_RUN itself failed. */
int vcpu_run(struct vcpu *vcpu);

#endif
