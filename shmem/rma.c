/* SPDX-License-Identifier: MIT */
/* RMA: typed, sized and byte put/get, p/g, strided, nbi and put-with-
 * signal, each a thin call of zc_put/zc_get/_nbi/zc_iput/zc_iget. The
 * typed names come from ZC_SHMEM_RMA_TYPES and ZC_SHMEM_SIZES. */
#include "sh.h"

static void put_signal(shmem_ctx_t ctx, void *dest, const void *src,
		       size_t len, uint64_t *sig, uint64_t signal, int sig_op,
		       int pe, bool nbi, const char *fn)
{
	enum zc_amo_op op = sig_op == SHMEM_SIGNAL_ADD ? ZC_AMO_ADD :
			    ZC_AMO_SET;
	int rc;

	if (sig_op != SHMEM_SIGNAL_SET && sig_op != SHMEM_SIGNAL_ADD) {
		zc_err("%s: sig_op %d is neither SHMEM_SIGNAL_SET nor "
		       "SHMEM_SIGNAL_ADD", fn, sig_op);
		return;
	}
	pe = sh_pe(ctx, pe);
	dest = sh_sym(dest);
	sh_lock();
	/* One message where the transport can (data, then the signal). */
	rc = nbi ? zc_put_signal_nbi(dest, src, len, sh_sym(sig), signal, op,
				     pe)
		 : zc_put_signal(dest, src, len, sh_sym(sig), signal, op, pe);
	sh_unlock();
	if (rc)
		sh_report(fn, rc);
}

#define SH_RMA(T, N)                                                        \
	void shmem_ctx_##N##_put(shmem_ctx_t ctx, T *dest, const T *source, \
				 size_t nelems, int pe)                     \
	{ SH_CHECK(zc_put(sh_sym(dest), source, nelems * sizeof(T), sh_pe(ctx, pe))); } \
	void shmem_##N##_put(T *dest, const T *source, size_t nelems, int pe) \
	{ SH_CHECK(zc_put(sh_sym(dest), source, nelems * sizeof(T), pe)); }         \
	void shmem_ctx_##N##_get(shmem_ctx_t ctx, T *dest, const T *source, \
				 size_t nelems, int pe)                     \
	{ SH_CHECK(zc_get(dest, sh_sym(source), nelems * sizeof(T), sh_pe(ctx, pe))); } \
	void shmem_##N##_get(T *dest, const T *source, size_t nelems, int pe) \
	{ SH_CHECK(zc_get(dest, sh_sym(source), nelems * sizeof(T), pe)); }         \
	void shmem_ctx_##N##_put_nbi(shmem_ctx_t ctx, T *dest,              \
				     const T *source, size_t nelems, int pe) \
	{ SH_CHECK(zc_put_nbi(sh_sym(dest), source, nelems * sizeof(T), sh_pe(ctx, pe))); } \
	void shmem_##N##_put_nbi(T *dest, const T *source, size_t nelems,   \
				 int pe)                                    \
	{ SH_CHECK(zc_put_nbi(sh_sym(dest), source, nelems * sizeof(T), pe)); }     \
	void shmem_ctx_##N##_get_nbi(shmem_ctx_t ctx, T *dest,              \
				     const T *source, size_t nelems, int pe) \
	{ SH_CHECK(zc_get_nbi(dest, sh_sym(source), nelems * sizeof(T), sh_pe(ctx, pe))); } \
	void shmem_##N##_get_nbi(T *dest, const T *source, size_t nelems,   \
				 int pe)                                    \
	{ SH_CHECK(zc_get_nbi(dest, sh_sym(source), nelems * sizeof(T), pe)); }     \
	void shmem_ctx_##N##_p(shmem_ctx_t ctx, T *dest, T value, int pe)   \
	{ SH_CHECK(zc_put(sh_sym(dest), &value, sizeof(T), sh_pe(ctx, pe))); }      \
	void shmem_##N##_p(T *dest, T value, int pe)                        \
	{ SH_CHECK(zc_put(sh_sym(dest), &value, sizeof(T), pe)); }                  \
	T shmem_ctx_##N##_g(shmem_ctx_t ctx, const T *source, int pe)       \
	{                                                                   \
		T v = 0;                                                    \
		SH_CHECK(zc_get(&v, sh_sym(source), sizeof(T), sh_pe(ctx, pe)));    \
		return v;                                                   \
	}                                                                   \
	T shmem_##N##_g(const T *source, int pe)                            \
	{                                                                   \
		T v = 0;                                                    \
		SH_CHECK(zc_get(&v, sh_sym(source), sizeof(T), pe));                \
		return v;                                                   \
	}                                                                   \
	void shmem_ctx_##N##_iput(shmem_ctx_t ctx, T *dest, const T *source, \
				  ptrdiff_t dst, ptrdiff_t sst, size_t nelems, \
				  int pe)                                   \
	{ SH_CHECK(zc_iput(sh_sym(dest), source, dst, sst, sizeof(T), nelems, sh_pe(ctx, pe))); } \
	void shmem_##N##_iput(T *dest, const T *source, ptrdiff_t dst,      \
			      ptrdiff_t sst, size_t nelems, int pe)         \
	{ SH_CHECK(zc_iput(sh_sym(dest), source, dst, sst, sizeof(T), nelems, pe)); } \
	void shmem_ctx_##N##_iget(shmem_ctx_t ctx, T *dest, const T *source, \
				  ptrdiff_t dst, ptrdiff_t sst, size_t nelems, \
				  int pe)                                   \
	{ SH_CHECK(zc_iget(dest, sh_sym(source), dst, sst, sizeof(T), nelems, sh_pe(ctx, pe))); } \
	void shmem_##N##_iget(T *dest, const T *source, ptrdiff_t dst,      \
			      ptrdiff_t sst, size_t nelems, int pe)         \
	{ SH_CHECK(zc_iget(dest, sh_sym(source), dst, sst, sizeof(T), nelems, pe)); } \
	void shmem_ctx_##N##_put_signal(shmem_ctx_t ctx, T *dest,           \
					const T *source, size_t nelems,     \
					uint64_t *sig_addr, uint64_t signal, \
					int sig_op, int pe)                 \
	{ put_signal(ctx, dest, source, nelems * sizeof(T), sig_addr, signal, \
		     sig_op, pe, false, __func__); }                        \
	void shmem_##N##_put_signal(T *dest, const T *source, size_t nelems, \
				    uint64_t *sig_addr, uint64_t signal,    \
				    int sig_op, int pe)                     \
	{ put_signal(SHMEM_CTX_DEFAULT, dest, source, nelems * sizeof(T),   \
		     sig_addr, signal, sig_op, pe, false, __func__); }      \
	void shmem_ctx_##N##_put_signal_nbi(shmem_ctx_t ctx, T *dest,       \
					    const T *source, size_t nelems, \
					    uint64_t *sig_addr,             \
					    uint64_t signal, int sig_op,    \
					    int pe)                         \
	{ put_signal(ctx, dest, source, nelems * sizeof(T), sig_addr, signal, \
		     sig_op, pe, true, __func__); }                         \
	void shmem_##N##_put_signal_nbi(T *dest, const T *source,           \
					size_t nelems, uint64_t *sig_addr,  \
					uint64_t signal, int sig_op, int pe) \
	{ put_signal(SHMEM_CTX_DEFAULT, dest, source, nelems * sizeof(T),   \
		     sig_addr, signal, sig_op, pe, true, __func__); }
ZC_SHMEM_RMA_TYPES(SH_RMA)

/* Sized and byte forms: element size E bytes. */
#define SH_RMA_SIZED(NAME, E)                                               \
	void shmem_ctx_put##NAME(shmem_ctx_t ctx, void *dest,               \
				 const void *source, size_t nelems, int pe) \
	{ SH_CHECK(zc_put(sh_sym(dest), source, nelems * (E), sh_pe(ctx, pe))); }   \
	void shmem_put##NAME(void *dest, const void *source, size_t nelems, \
			     int pe)                                        \
	{ SH_CHECK(zc_put(sh_sym(dest), source, nelems * (E), pe)); }               \
	void shmem_ctx_get##NAME(shmem_ctx_t ctx, void *dest,               \
				 const void *source, size_t nelems, int pe) \
	{ SH_CHECK(zc_get(dest, sh_sym(source), nelems * (E), sh_pe(ctx, pe))); }   \
	void shmem_get##NAME(void *dest, const void *source, size_t nelems, \
			     int pe)                                        \
	{ SH_CHECK(zc_get(dest, sh_sym(source), nelems * (E), pe)); }               \
	void shmem_ctx_put##NAME##_nbi(shmem_ctx_t ctx, void *dest,         \
				       const void *source, size_t nelems,   \
				       int pe)                              \
	{ SH_CHECK(zc_put_nbi(sh_sym(dest), source, nelems * (E), sh_pe(ctx, pe))); } \
	void shmem_put##NAME##_nbi(void *dest, const void *source,          \
				   size_t nelems, int pe)                   \
	{ SH_CHECK(zc_put_nbi(sh_sym(dest), source, nelems * (E), pe)); }           \
	void shmem_ctx_get##NAME##_nbi(shmem_ctx_t ctx, void *dest,         \
				       const void *source, size_t nelems,   \
				       int pe)                              \
	{ SH_CHECK(zc_get_nbi(dest, sh_sym(source), nelems * (E), sh_pe(ctx, pe))); } \
	void shmem_get##NAME##_nbi(void *dest, const void *source,          \
				   size_t nelems, int pe)                   \
	{ SH_CHECK(zc_get_nbi(dest, sh_sym(source), nelems * (E), pe)); }           \
	void shmem_ctx_put##NAME##_signal(shmem_ctx_t ctx, void *dest,      \
					  const void *source, size_t nelems, \
					  uint64_t *sig_addr,               \
					  uint64_t signal, int sig_op,      \
					  int pe)                           \
	{ put_signal(ctx, dest, source, nelems * (E), sig_addr, signal,     \
		     sig_op, pe, false, __func__); }                        \
	void shmem_put##NAME##_signal(void *dest, const void *source,       \
				      size_t nelems, uint64_t *sig_addr,    \
				      uint64_t signal, int sig_op, int pe)  \
	{ put_signal(SHMEM_CTX_DEFAULT, dest, source, nelems * (E),         \
		     sig_addr, signal, sig_op, pe, false, __func__); }      \
	void shmem_ctx_put##NAME##_signal_nbi(shmem_ctx_t ctx, void *dest,  \
					      const void *source,           \
					      size_t nelems,                \
					      uint64_t *sig_addr,           \
					      uint64_t signal, int sig_op,  \
					      int pe)                       \
	{ put_signal(ctx, dest, source, nelems * (E), sig_addr, signal,     \
		     sig_op, pe, true, __func__); }                         \
	void shmem_put##NAME##_signal_nbi(void *dest, const void *source,   \
					  size_t nelems, uint64_t *sig_addr, \
					  uint64_t signal, int sig_op, int pe) \
	{ put_signal(SHMEM_CTX_DEFAULT, dest, source, nelems * (E),         \
		     sig_addr, signal, sig_op, pe, true, __func__); }
#define SH_RMA_BITS(B)                                                      \
	SH_RMA_SIZED(B, (B) / 8)                                            \
	void shmem_ctx_iput##B(shmem_ctx_t ctx, void *dest,                 \
			       const void *source, ptrdiff_t dst,           \
			       ptrdiff_t sst, size_t nelems, int pe)        \
	{ SH_CHECK(zc_iput(sh_sym(dest), source, dst, sst, (B) / 8, nelems, sh_pe(ctx, pe))); } \
	void shmem_iput##B(void *dest, const void *source, ptrdiff_t dst,   \
			   ptrdiff_t sst, size_t nelems, int pe)            \
	{ SH_CHECK(zc_iput(sh_sym(dest), source, dst, sst, (B) / 8, nelems, pe)); } \
	void shmem_ctx_iget##B(shmem_ctx_t ctx, void *dest,                 \
			       const void *source, ptrdiff_t dst,           \
			       ptrdiff_t sst, size_t nelems, int pe)        \
	{ SH_CHECK(zc_iget(dest, sh_sym(source), dst, sst, (B) / 8, nelems, sh_pe(ctx, pe))); } \
	void shmem_iget##B(void *dest, const void *source, ptrdiff_t dst,   \
			   ptrdiff_t sst, size_t nelems, int pe)            \
	{ SH_CHECK(zc_iget(dest, sh_sym(source), dst, sst, (B) / 8, nelems, pe)); }
ZC_SHMEM_SIZES(SH_RMA_BITS)
SH_RMA_SIZED(mem, 1)

uint64_t shmem_signal_fetch(const uint64_t *sig_addr)
{
	return __atomic_load_n(sig_addr, __ATOMIC_ACQUIRE);
}

/* Returns the very value that satisfied the condition: a value loaded
 * again after the wait may already be a later one that does not. */
uint64_t shmem_signal_wait_until(uint64_t *sig_addr, int cmp,
				 uint64_t cmp_value)
{
	int c = sh_cmp(cmp, __func__), rc = 0;
	unsigned spins = 0;
	uint64_t v = 0;

	if (c < 0)
		return __atomic_load_n(sig_addr, __ATOMIC_ACQUIRE);
	/* zc_test_fetch drives the transports that need this thread. */
	while (rc == 0) {
		sh_lock();
		rc = zc_test_fetch(sh_sym(sig_addr), ZC_UINT64, (enum zc_cmp)c,
				   (int64_t)cmp_value, &v);
		sh_unlock();
		if (rc == 0)
			zc_backoff(&spins);
	}
	if (rc < 0) {
		sh_report(__func__, rc);
		v = __atomic_load_n(sig_addr, __ATOMIC_ACQUIRE);
	}
	return v;
}
