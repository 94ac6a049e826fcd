/* SPDX-License-Identifier: MIT */
/*
 * zc_provider.h: the one interface between core/ and a transport provider.
 * A provider includes this header (and its own), nothing else of zcomm.
 * core/ calls it: opens each usable provider, assigns it peers, drives ops.
 *
 * Addressing: every rank's symmetric heap has the same size; a remote
 * location is (rank, offset into that rank's heap). Core has already
 * checked offset + len <= heap_size before calling a provider, but a
 * provider that receives requests from the wire must check again.
 *
 * Completion: an op returns 0 when it is already complete (remotely
 * visible, data delivered), ZC_INPROGRESS when it was queued, or a negative
 * code. For a queued op with comp != NULL, the provider later calls
 * zc_comp_done(comp, status) exactly once, from any thread: for a put
 * when its source may be reused (the data may still be on its way: quiet
 * covers it), for a get when the data is in place, for an atomic when its
 * old value is. Queued ops with or without comp are finished by quiet().
 */
#ifndef ZC_PROVIDER_H
#define ZC_PROVIDER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <zcomm.h>

#include "zc_log.h"

#define ZC_INPROGRESS 1

/* A completion counter: pending is set by core before the op is issued. */
struct zc_comp {
	atomic_int pending;
	atomic_int status;
};

static inline void zc_comp_init(struct zc_comp *c, int n)
{
	atomic_store_explicit(&c->pending, n, memory_order_relaxed);
	atomic_store_explicit(&c->status, 0, memory_order_relaxed);
}

static inline void zc_comp_done(struct zc_comp *c, int status)
{
	if (status < 0) {
		int zero = 0;

		atomic_compare_exchange_strong(&c->status, &zero, status);
	}
	atomic_fetch_sub_explicit(&c->pending, 1, memory_order_release);
}

/* ---- services core offers providers (and zc_log.h) ---- */


/*
 * Tunables. Each is declared once, as one element of a const array that
 * both the parser (core/params.c) and zcomm_info read. The value is parsed
 * at zc_init into *dst; an invalid value fails zc_init naming it.
 */
enum zc_param_type {
	ZC_PARAM_SIZE,		/* size_t, K/M/G suffixes */
	ZC_PARAM_INT,		/* long */
	ZC_PARAM_BOOL,		/* int: 0/1, y/n, yes/no, on/off, true/false */
	ZC_PARAM_STRING,	/* const char *, points into the environment */
	ZC_PARAM_TIME_MS,	/* long milliseconds; "5s", "200ms", "200" */
	ZC_PARAM_LOGLEVEL,	/* enum zc_log_level: error|warn|info|debug|trace */
};

struct zc_param {
	const char *name;	/* environment variable, ZC_... */
	enum zc_param_type type;
	const char *def;	/* default, in the same syntax as the env */
	const char *help;	/* one line */
	void *dst;
};

/*
 * A peer's put, get or atomic touches the symmetric heap from a
 * provider's own thread, ordered by messages through other processes
 * that ThreadSanitizer cannot see: providers hide such accesses from it
 * (ZC_TSAN builds), so that what it reports are races on the library's
 * own state. No code in other builds.
 */
#ifdef __SANITIZE_THREAD__
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
#define ZC_PEER_ACCESS_BEGIN() __tsan_ignore_thread_begin()
#define ZC_PEER_ACCESS_END() __tsan_ignore_thread_end()
#else
#define ZC_PEER_ACCESS_BEGIN() ((void)0)
#define ZC_PEER_ACCESS_END() ((void)0)
#endif

/* Execute an atomic on local memory (a CPU atomic): providers run every
 * target-side atomic through it. old may be NULL. */
int zc_amo_exec(void *loc, enum zc_amo_op op, size_t width, uint64_t value,
		uint64_t cmp, uint64_t *old);

/* Parse one parameter from the environment (or its default). */
int zc_param_load(const struct zc_param *p);

/* Bootstrap services a provider may use: put only from open(), get only
 * from connect() (core runs the one exchange in between, so ranks whose
 * providers differ never deadlock in a mismatched fence). Keys are
 * strings; use "zc.<provider>..." names. */
struct zc_boot_services {
	int (*put)(const char *key, const void *val, size_t len);
	int (*get)(int rank, const char *key, void *val, size_t *len_p);
};

/* What core tells a provider at open. */
struct zc_prov_env {
	int rank;
	int size;
	const int *node_of;	/* node index of every rank */
	void *heap_base;	/* my symmetric heap */
	size_t heap_size;	/* every rank's heap has this size */
	int heap_fd;		/* memfd backing my heap (shm maps it) */
	long peer_timeout_ms;	/* ZC_PEER_TIMEOUT */
	bool oversub;		/* this node runs more ranks than CPUs */
	const struct zc_boot_services *boot;
	/* Offset in every heap of a u64 that core sets to 1 when that rank
	 * leaves through zc_finalize: a provider that sees a process end
	 * (shm's pidfd) tells a clean exit from a death by it. */
	uint64_t left_off;
};

struct zc_prov;	/* provider private */

/*
 * The provider ops table. The first field is its size so it can grow;
 * an op left NULL means "not supported" and core reports -ENOTSUP (or
 * falls back) without the provider writing stubs. Unless said, ops are
 * called from the application thread, one at a time.
 */
struct zc_provider_ops {
	size_t size;		/* sizeof(struct zc_provider_ops) */
	const char *name;
	const struct zc_param *params;	/* NULL-name-terminated, or NULL */

	/* 0 if the provider can work on this machine; else a negative code
	 * and *why_p set to a static reason string. Must not allocate. */
	int (*query)(const char **why_p);

	/* Whether this provider can reach rank (e.g. shm: same node). */
	int (*reachable)(const struct zc_prov_env *env, int rank);

	/* Called on every rank where query() succeeded, even with no peers
	 * assigned. peers[r] != 0 when rank r is assigned to this provider
	 * here (the array lives until close). May boot->put its address. */
	int (*open)(const struct zc_prov_env *env, const unsigned char *peers,
		    struct zc_prov **prov_p);
	/* Called after every provider's open and core's exchange: reach
	 * the assigned peers (boot->get their addresses). Must not wait for
	 * a peer that has no provider open (connect only to assigned). */
	int (*connect)(struct zc_prov *prov);
	/* Completes or fails every outstanding op first; never blocks for
	 * longer than the peer-failure timeout. */
	void (*close)(struct zc_prov *prov);

	/* RMA; src/dst are local memory of any kind. Contract above. */
	int (*put)(struct zc_prov *prov, int rank, uint64_t off,
		   const void *src, size_t len, struct zc_comp *comp);
	int (*get)(struct zc_prov *prov, int rank, uint64_t off, void *dst,
		   size_t len, struct zc_comp *comp);
	/* Atomic at rank's (off), width 4 or 8. old (may be NULL for the
	 * non-fetching form) receives the prior value, widened to 64 bits.
	 * Must be atomic with every other provider's atomics on the same
	 * location: execute it as a CPU atomic on the target's memory
	 * (unless amo_all says every atomic of the job goes to a device). */
	int (*amo)(struct zc_prov *prov, int rank, uint64_t off,
		   enum zc_amo_op op, size_t width, uint64_t value,
		   uint64_t cmp, uint64_t *old, struct zc_comp *comp);

	/* Order earlier puts/amos to each rank before later ones. */
	int (*fence)(struct zc_prov *prov);
	/* Complete every op issued so far (including comp == NULL ones).
	 * Returns the first error of any of them; blocks at most the
	 * peer-failure timeout per dead peer. */
	int (*quiet)(struct zc_prov *prov);

	/* Load/store address of rank's heap offset 0, or NULL. */
	void *(*map)(struct zc_prov *prov, int rank);

	/* Drive completions when the provider has no thread of its own
	 * (or serve peers from the caller's polls). */
	int (*progress)(struct zc_prov *prov);

	/* The application thread is about to nap in a wait (core's backoff,
	 * past its yields): a provider that serves peers from its progress
	 * calls hands that to a thread of its own meanwhile. May be NULL. */
	void (*idle)(struct zc_prov *prov);

	/* 0 if rank is alive as far as the provider knows, or -ZC_EPEERDEAD */
	int (*peer_status)(struct zc_prov *prov, int rank);

	unsigned flags;		/* ZC_PROV_F_* */

	/* Prints what the provider finds on this machine (devices and
	 * their limits) for zcomm_info; needs no zc_init. May be NULL. */
	void (*info)(FILE *out);

	/* Put, then an 8-byte atomic sig_op (ZC_AMO_SET or ZC_AMO_ADD) of
	 * sig_value at rank's sig_off, which nobody there sees before the
	 * data: where the wire allows, one message (the signal rides with
	 * the data). len == 0 (src unused, comp NULL): the signal alone,
	 * behind every earlier put and atomic to rank as after a fence (a
	 * collective's flag: no fence of every connection first). sig_off
	 * is 8-aligned and in the heap (core checked both). Completion as
	 * put's; comp as put's. May be NULL: core then issues put, fence,
	 * amo. */
	int (*put_signal)(struct zc_prov *prov, int rank, uint64_t off,
			  const void *src, size_t len, uint64_t sig_off,
			  enum zc_amo_op sig_op, uint64_t sig_value,
			  struct zc_comp *comp);

	/* Quiet, except that puts and non-fetching atomics to rank (to
	 * every rank when rank < 0) need not be complete there, only
	 * ordered before every later op to it (as by fence), with their
	 * sources free (sent, or copied); every other op, gets and
	 * fetching atomics included, is complete on return. For a caller
	 * that only needs its buffers back (a collective whose receivers
	 * wait for its flags), or whose next message to rank is one that
	 * rank waits for (a barrier of two). Returns the first error of
	 * the ops it completed. May be NULL: core calls quiet. */
	int (*quiet_local)(struct zc_prov *prov, int rank);

	/* After connect: true when this provider has the whole job's
	 * atomics executed by its devices (every rank agreed on it, and it
	 * reaches every rank, me included). Core then sends every atomic
	 * through it, those on my own heap too, so that each location keeps
	 * one execution agent. May be NULL (the target's CPU executes). */
	bool (*amo_all)(struct zc_prov *prov);
};

/* The provider serves peers from a thread of its own, which may share a
 * core with the application: a waiter should yield early, not spin. */
#define ZC_PROV_F_THREAD 1u

#endif /* ZC_PROVIDER_H */
