/* SPDX-License-Identifier: MIT */
/* Library setup, exit and query: shmem_init over zc_init (after the
 * SHMEM_* environment variables, env.c), the predefined teams and
 * context. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sh.h"

struct zc_shmem_team zc_shmem_team_world;
struct zc_shmem_team zc_shmem_team_shared;
struct zc_shmem_ctx zc_shmem_ctx_default = { .team = &zc_shmem_team_world };

uint64_t *sh_scratch;
static int thread_level = SHMEM_THREAD_SINGLE;
bool sh_mt;
pthread_mutex_t sh_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void sh_report(const char *fn, int rc)
{
	if (rc == -ZC_ENOTINIT)
		zc_err("%s called before shmem_init", fn);
	else
		zc_info("%s failed: %s", fn, zc_strerror(rc));
}

/* SHMEM_TEAM_SHARED is the PEs that reach each other's memory by
 * load/store (shmem_ptr): zcomm's node team when its transport maps
 * memory, else (say ZC_TRANSPORTS=tcp) every PE on its own. Collective:
 * all PEs agree which. */
static int shared_team(void)
{
	struct zc_team *node = zc_team_node(), *self = NULL, *rest = NULL;
	uint64_t *mapped = &sh_scratch[SH_SCRATCH_MAPPED];
	int rc;

	mapped[0] = 1;
	for (int i = 0; i < zc_team_size(node); i++)
		if (!zc_ptr(sh_scratch, zc_team_translate(node, i,
							  zc_team_world())))
			mapped[0] = 0;
	rc = zc_allreduce(zc_team_world(), &mapped[1], &mapped[0], 1,
			  ZC_UINT64, ZC_OP_MIN);
	if (rc)
		return rc;
	if (mapped[1]) {
		zc_shmem_team_shared.zt = node;
		return 0;
	}
	/* Rows of one column: a team of just me. */
	rc = zc_team_split_2d(zc_team_world(), 1, &self, &rest);
	if (!rc)
		rc = zc_team_destroy(rest);
	zc_shmem_team_shared.zt = self;
	return rc;
}

static int layer_init(void)
{
	void *p;
	int rc;

	zc_shmem_team_world.zt = zc_team_world();
	zc_shmem_ctx_default.team = &zc_shmem_team_world;
	rc = zc_calloc(SH_SCRATCH_WORDS, sizeof(uint64_t), &p);
	if (rc)
		return rc;
	sh_scratch = p;
	rc = shared_team();
	if (!rc)
		rc = sh_symdata_init();
	if (rc)
		return rc;
	sh_env_after_init();
	return 0;
}

/* Programs may end without shmem_finalize (the OpenSHMEM 1.0 style of
 * start_pes had none), but the launcher takes an exit without finalize
 * for a crash. A clean exit finalizes; a failing one leaves the launcher
 * to end the job at once rather than wait in finalize's barrier. */
static void finalize_at_exit(int status, void *arg)
{
	(void)arg;
	if (status == 0 && zc_initialized())
		shmem_finalize();
}

int shmem_init_thread(int requested, int *provided)
{
	static bool hooked;

	int rc;

	if (zc_initialized()) {
		if (provided)
			*provided = thread_level;
		return 0;
	}
	rc = sh_env_before_init();
	if (!rc)
		rc = zc_init();
	if (!rc)
		rc = layer_init();
	if (rc) {
		zc_err("shmem_init failed: %s", zc_strerror(rc));
		return rc;
	}
	if (!hooked && !on_exit(finalize_at_exit, NULL))
		hooked = true;
	/* One thread at a time may call zcomm: MULTIPLE puts every call
	 * under sh_mutex (sh.h); below it the program serialises. */
	thread_level = requested;
	if (thread_level > SHMEM_THREAD_MULTIPLE)
		thread_level = SHMEM_THREAD_MULTIPLE;
	if (thread_level < SHMEM_THREAD_SINGLE)
		thread_level = SHMEM_THREAD_SINGLE;
	sh_mt = thread_level == SHMEM_THREAD_MULTIPLE;
	if (provided)
		*provided = thread_level;
	return 0;
}

/* shmem_init cannot return its error, and the specification makes a bad
 * SHMEM_SYMMETRIC_SIZE end the program with an error report: the one
 * place besides shmem_global_exit where the library ends the process
 * (shmem_init_thread returns the error instead). Going on would only
 * turn every later call into an error, and the exit status into 0. */
void shmem_init(void)
{
	if (shmem_init_thread(SHMEM_THREAD_SINGLE, NULL))
		exit(1);
}

void start_pes(int npes)
{
	(void)npes;	/* ignored since OpenSHMEM 1.0 too */
	shmem_init();
}

void shmem_query_thread(int *provided)
{
	*provided = thread_level;
}

void shmem_finalize(void)
{
	if (!zc_initialized())
		return;
	/* Collective: nobody frees what a peer may still touch. */
	SH_CHECK(zc_barrier_all());
	if (sh_scratch)
		SH_CHECK(zc_free(sh_scratch));
	sh_scratch = NULL;
	sh_heap_forget_all();
	sh_teams_forget_all();
	zc_shmem_team_world.zt = zc_shmem_team_shared.zt = NULL;
	SH_CHECK(zc_finalize());
}

int shmem_initialized(void)
{
	return zc_initialized();
}

_Noreturn void shmem_global_exit(int status)
{
	fflush(stdout);
	fflush(stderr);
	zc_global_exit(status);
	/* The launcher did not take the job down: at least leave. */
	_exit(status);
}

int shmem_my_pe(void)
{
	int r = zc_rank();

	if (r < 0)
		sh_report(__func__, r);
	return r;
}

int shmem_n_pes(void)
{
	int n = zc_size();

	if (n < 0)
		sh_report(__func__, n);
	return n;
}

int _my_pe(void)
{
	return shmem_my_pe();
}

int _num_pes(void)
{
	return shmem_n_pes();
}

int shmem_pe_accessible(int pe)
{
	return zc_initialized() && pe >= 0 && pe < zc_size();
}

int shmem_addr_accessible(const void *addr, int pe)
{
	return shmem_pe_accessible(pe) && zc_addr_symmetric(sh_sym(addr));
}

void *shmem_ptr(const void *dest, int pe)
{
	void *p = zc_ptr(sh_sym(dest), pe);

	/* My own global: its own address rather than the heap alias. */
	return p && pe == zc_rank() ? (void *)dest : p;
}

void *shmem_team_ptr(shmem_team_t team, const void *dest, int pe)
{
	if (!team)
		return NULL;
	return zc_ptr(sh_sym(dest), sh_team_to_world(team, pe));
}

void shmem_info_get_version(int *major, int *minor)
{
	*major = SHMEM_MAJOR_VERSION;
	*minor = SHMEM_MINOR_VERSION;
}

void shmem_info_get_name(char *name)
{
	snprintf(name, SHMEM_MAX_NAME_LEN, "%s", SHMEM_VENDOR_STRING);
}

/* The specification asks for it as a hook for profiling tools; without
 * a profiler it does nothing. */
void shmem_pcontrol(const int level, ...)
{
	(void)level;
}

/* OpenSHMEM 1.0's cache controls: nothing to do on coherent memory. */
void shmem_clear_cache_inv(void)
{
}

void shmem_set_cache_inv(void)
{
}

void shmem_clear_cache_line_inv(void *dest)
{
	(void)dest;
}

void shmem_set_cache_line_inv(void *dest)
{
	(void)dest;
}

void shmem_udcflush(void)
{
}

void shmem_udcflush_line(void *dest)
{
	(void)dest;
}

int sh_cmp(int cmp, const char *fn)
{
	if (cmp < SHMEM_CMP_EQ || cmp > SHMEM_CMP_LE) {
		zc_err("%s: comparison %d is not one of SHMEM_CMP_*", fn, cmp);
		return -1;
	}
	/* SHMEM_CMP_EQ.. are in zcomm's order, from 1. */
	return cmp - SHMEM_CMP_EQ + ZC_CMP_EQ;
}
