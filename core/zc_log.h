/* SPDX-License-Identifier: MIT */
/*
 * zc_log.h: the one logging macro family (level from ZC_LOG) and the
 * waiting helper. A leaf: includes libc only; every layer may use it.
 */
#ifndef ZC_LOG_H
#define ZC_LOG_H

enum zc_log_level { ZC_LOG_ERROR, ZC_LOG_WARN, ZC_LOG_INFO, ZC_LOG_DEBUG,
		    ZC_LOG_TRACE };

void zc_log_emit(enum zc_log_level lvl, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
extern enum zc_log_level zc_log_level;

/* Lines read "zcomm[rank] error: what (file:line)". */
#define zc_log(lvl, ...)                                                    \
	do {                                                                \
		if ((lvl) <= zc_log_level)                                  \
			zc_log_emit((lvl), __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)
#define zc_err(...) zc_log(ZC_LOG_ERROR, __VA_ARGS__)
#define zc_warn(...) zc_log(ZC_LOG_WARN, __VA_ARGS__)
#define zc_info(...) zc_log(ZC_LOG_INFO, __VA_ARGS__)
#ifdef NDEBUG
#define zc_dbg(...) do { } while (0)
#define zc_trace(...) do { } while (0)
#else
#define zc_dbg(...) zc_log(ZC_LOG_DEBUG, __VA_ARGS__)
#define zc_trace(...) zc_log(ZC_LOG_TRACE, __VA_ARGS__)
#endif

/* Set once the rank is known, for the log prefix. */
void zc_log_set_rank(int rank);

/* Waiting without livelock when ranks outnumber cores: spin a little,
 * then yield, then sleep briefly. Start *spins at 0 for each wait. */
void zc_backoff(unsigned *spins);
/* Pauses before the first yield: zc_init lowers it when this node runs
 * more ranks than it has CPUs (a spinning waiter then only delays the
 * rank it waits for). */
extern unsigned zc_backoff_spins;

#endif /* ZC_LOG_H */
