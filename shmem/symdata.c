/* SPDX-License-Identifier: MIT */
/*
 * Global and static variables as symmetric objects, as OpenSHMEM
 * requires. At shmem_init the program's writable data segment (.data and
 * .bss of the executable: the same size in every PE, since every PE runs
 * the same program) gets a block of the symmetric heap, its contents are
 * copied there, and that part of the heap's memfd is mapped over the
 * segment with MAP_FIXED. From then on a global and its heap block are
 * the same memory at two addresses: peers reach it through the heap like
 * any symmetric object, and sh_sym() turns a global's address into its
 * heap address for zcomm calls. Local loads and stores are unchanged.
 *
 * Found through /proc: the heap's memfd (by its name) and its mapping.
 * If anything is missing (sizes differ between PEs, heap too small, no
 * /proc) globals simply stay local, with a warning.
 */
#include <dirent.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

uintptr_t sh_data_lo, sh_data_hi;
ptrdiff_t sh_data_delta;

#define HEAP_NAME "/memfd:zcomm-heap"

struct seg {
	uintptr_t lo, hi;
};

/* The first object reported is the executable itself. */
static int find_data(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct seg *s = arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) &&
		    ph->p_memsz) {
			s->lo = info->dlpi_addr + ph->p_vaddr;
			s->hi = s->lo + ph->p_memsz;
			break;
		}
	}
	return 1;
}

/* Page-rounded bounds of the executable's data segment (0, 0 if none). */
static struct seg data_segment(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct seg s = { 0, 0 };

	dl_iterate_phdr(find_data, &s);
	s.lo &= ~(uintptr_t)(page - 1);
	s.hi = (s.hi + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
	return s;
}

size_t sh_symdata_size(void)
{
	struct seg s = data_segment();

	return s.hi - s.lo;
}

/* My heap's mapping (peers' heaps, mapped by shm, carry the same name):
 * the one holding my scratch words. Gives its base and the memfd inode. */
static char *heap_base(unsigned long *ino_p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	uintptr_t mine = (uintptr_t)sh_scratch;
	char line[512];
	char *base = NULL;

	if (!f)
		return NULL;
	while (!base && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off, ino;

		if (strstr(line, HEAP_NAME) &&
		    sscanf(line, "%lx-%lx %*s %lx %*s %lu", &lo, &hi, &off,
			   &ino) == 4 && mine >= lo && mine < hi) {
			base = (char *)(lo - off);
			*ino_p = ino;
		}
	}
	fclose(f);
	return base;
}

static int heap_fd(unsigned long ino)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		char path[300], target[128];
		struct stat st;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strncmp(target, HEAP_NAME, strlen(HEAP_NAME)) &&
		    !fstat(atoi(e->d_name), &st) && st.st_ino == ino)
			fd = atoi(e->d_name);
	}
	closedir(d);
	return fd;
}

/* The whole segment, redzones of sanitizer builds included: a plain
 * word loop the sanitizer does not check (nor turn into memcpy). */
__attribute__((no_sanitize_address))
static void copy_segment(uint64_t *dst, const uint64_t *src, size_t bytes)
{
	volatile const uint64_t *s = src;

	for (size_t i = 0; i < bytes / sizeof(uint64_t); i++)
		dst[i] = s[i];
}

/* Collective over the world (at init, after the scratch words exist). */
int sh_symdata_init(void)
{
	uint64_t *w = &sh_scratch[SH_SCRATCH_MAPPED + 2];
	long page = sysconf(_SC_PAGESIZE);
	struct seg s = data_segment();
	unsigned long ino = 0;
	char *base = heap_base(&ino), *shadow;
	int fd = base ? heap_fd(ino) : -1, rc;
	size_t size;
	void *p;

	size = base && fd >= 0 ? s.hi - s.lo : 0;
	/* Every PE must take the same path: agree on the size. */
	w[0] = size;
	w[1] = ~(uint64_t)size;
	rc = zc_allreduce(zc_team_world(), &w[2], &w[0], 2, ZC_UINT64,
			  ZC_OP_MAX);
	if (rc)
		return rc;
	if (!size || w[2] != size || ~w[3] != size) {
		zc_warn("global and static variables are not symmetric here "
			"(data segment of %zu bytes; PEs disagree or /proc lacks "
			"the heap)", size);
		return 0;
	}
	rc = zc_align((size_t)page, size, (void **)&shadow);
	if (rc) {
		zc_warn("global and static variables are not symmetric: no "
			"room for the %zu-byte data segment in the heap", size);
		return 0;	/* every PE failed alike */
	}
	copy_segment((uint64_t *)shadow, (const uint64_t *)s.lo, size);
	p = mmap((void *)s.lo, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, shadow - base);
	if (p == MAP_FAILED) {
		/* The segment is gone: nothing sane is left to run. */
		zc_err("mapping the heap over the data segment at %#lx: %m",
		       (unsigned long)s.lo);
		return -errno;
	}
	sh_data_lo = s.lo;
	sh_data_hi = s.hi;
	sh_data_delta = shadow - (char *)s.lo;
	/* Nobody writes a peer's globals before the peer has copied them. */
	return zc_barrier_all();
}
