/* SPDX-License-Identifier: MIT */
/* Errors the specification leaves undefined get a clear message and the
 * program goes on: a call before shmem_init, a PE out of range, an
 * address outside the symmetric heap, freeing a pointer not from the
 * heap, a bad comparison. stderr goes to a file that is then read back. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <unistd.h>

#include "sh_test.h"

static char path[64];

static void expect(const char *what, const char *needle)
{
	static char text[1 << 16];
	FILE *f;
	size_t len;

	fflush(stderr);
	f = fopen(path, "r");
	if (!f) {
		printf("cannot read back %s\n", path);
		exit(1);
	}
	len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = '\0';
	fclose(f);
	if (!strstr(text, needle)) {
		printf("FAIL: %s: no \"%s\" in stderr:\n%s\n", what, needle, text);
		exit(1);
	}
}

int main(void)
{
	long *sym, local = 5;
	int me, n, x;

	snprintf(path, sizeof(path), "/tmp/zcsh_errors_%ld.txt", (long)getpid());
	if (!freopen(path, "w", stderr)) {
		printf("skipped: cannot redirect stderr\n");
		return 77;
	}

	shmem_long_p(&local, 1, 0);
	expect("put before init", "shmem_long_p called before shmem_init");
	SH_ASSERT(shmem_my_pe() < 0, "my_pe before init");
	expect("my_pe before init", "shmem_my_pe called before shmem_init");

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	sym = shmem_calloc(1, sizeof(long));
	SH_ASSERT(sym, "alloc");

	shmem_long_p(sym, 1, n);
	expect("pe out of range", "out of range");
	SH_ASSERT(shmem_long_g(sym, -1) == 0, "g from pe -1");
	shmem_long_p(&local, 1, me);
	expect("non-symmetric address", "not in the symmetric heap");
	shmem_free(&local);
	expect("free of a stack pointer", "not an allocation of the symmetric heap");
	shmem_long_wait_until(sym, 42, 0);
	expect("bad comparison", "is not one of SHMEM_CMP_");
	x = shmem_int_atomic_fetch_add((int *)&local, 1, me);
	(void)x;
	expect("atomic on non-symmetric", "not in the symmetric heap");
	shmem_team_destroy(SHMEM_TEAM_WORLD);
	expect("destroy world", "predefined teams cannot be destroyed");

	/* Still working after all that. */
	shmem_long_p(sym, me + 1, (me + 1) % n);
	shmem_barrier_all();
	SH_ASSERT(*sym == (me + n - 1) % n + 1, "put after errors");
	shmem_free(sym);
	remove(path);
	return sh_test_done("shmem errors");
}
