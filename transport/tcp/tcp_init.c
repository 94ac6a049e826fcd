/* SPDX-License-Identifier: MIT */
/* The tcp ops table, its tunables, and the provider's life: listen and
 * publish (open), the full mesh (connect), orderly shutdown (close). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "tcp.h"

struct zc_tcp_params zc_tcp_params;

static const struct zc_param tcp_params[] = {
	{ "ZC_TCP_IF", ZC_PARAM_STRING, "auto",
	  "interface name or IPv4 address to listen on; auto: loopback when "
	  "every peer is on this host, else the first up non-loopback one",
	  &zc_tcp_params.iface },
	{ "ZC_TCP_PORT", ZC_PARAM_INT, "0",
	  "listening port of local rank 0 (others add their local rank); "
	  "0: any free port", &zc_tcp_params.port },
	{ "ZC_TCP_NETNS", ZC_PARAM_STRING, "",
	  "comma-separated network namespaces (/run/netns/NAME): rank r "
	  "enters entry r mod count before making sockets (tests)",
	  &zc_tcp_params.netns },
	{ "ZC_TCP_CREDITS", ZC_PARAM_INT, "64",
	  "SMB-Direct send credits requested per connection (1..1024)",
	  &zc_tcp_params.credits },
	{ "ZC_TCP_SEND_SIZE", ZC_PARAM_SIZE, "256K",
	  "SMB-Direct max send/receive message size (4K..16M)",
	  &zc_tcp_params.send_size },
	{ "ZC_TCP_MAX_MSG", ZC_PARAM_SIZE, "64M",
	  "SMB-Direct max fragmented message size: larger ops are split "
	  "(128K..1G)", &zc_tcp_params.max_msg },
	{ "ZC_TCP_DIRECT_MIN", ZC_PARAM_SIZE, "4K",
	  "put/get payloads from this size are received straight into "
	  "place; smaller ones through the stream buffer (at most 32K)",
	  &zc_tcp_params.direct_min },
	{ "ZC_TCP_INLINE_MAX", ZC_PARAM_SIZE, "8K",
	  "put payloads up to this size are copied at issue (source free "
	  "at once); larger ones are sent from the source",
	  &zc_tcp_params.inline_max },
	{ "ZC_TCP_SEND_ZC", ZC_PARAM_STRING, "auto",
	  "IORING_OP_SENDMSG_ZC for large sends: on, off, or auto (probe per "
	  "connection, keep only where the kernel does not copy)",
	  &zc_tcp_params.send_zc },
	{ "ZC_TCP_ZC_MIN", ZC_PARAM_SIZE, "64K",
	  "smallest send that may use SEND_ZC", &zc_tcp_params.zc_min },
	{ "ZC_TCP_CONNECT_TIMEOUT", ZC_PARAM_TIME_MS, "30s",
	  "time allowed for the full mesh to connect at init",
	  &zc_tcp_params.connect_timeout_ms },
	{ "ZC_TCP_TEST_DELAY_US", ZC_PARAM_INT, "0",
	  "test only: the progress thread sleeps this long per request "
	  "served (a slow target)", &zc_tcp_params.test_delay_us },
	{ "ZC_TCP_SPIN_US", ZC_PARAM_INT, "-1",
	  "a waiting thread (application or progress) polls its ring this "
	  "long, yielding between polls, before sleeping in the kernel; "
	  "-1: 50",
	  &zc_tcp_params.spin_us },
	{ "ZC_TCP_PROGRESS_CPU", ZC_PARAM_STRING, "auto",
	  "where the progress thread runs: inherit (the application's CPU "
	  "mask), other (every online CPU but the application's), or auto "
	  "(other when the application is bound to one CPU and this node "
	  "runs no more ranks than CPUs, else inherit)",
	  &zc_tcp_params.progress_cpu },
	{ "ZC_TCP_APP_DRIVE", ZC_PARAM_STRING, "auto",
	  "on: the application thread, while it polls inside zcomm, "
	  "receives and serves the peers' requests itself (the progress "
	  "thread takes over when it computes or sleeps); off: the progress "
	  "thread always does; auto: on unless this node runs more ranks "
	  "than CPUs (doc/tcp.md)", &zc_tcp_params.app_drive },
	{ NULL, 0, NULL, NULL, NULL },
};

struct tcp_addr {
	uint32_t ip;	/* network order */
	uint16_t port;	/* network order */
	uint16_t pad;
};

static int params_check(void)
{
	const struct zc_tcp_params *t = &zc_tcp_params;
	/* Each rule names its variable, value and range. */
#define RANGE(ok, name, fmt, v, range)                                      \
	do {                                                                \
		if (!(ok)) {                                                \
			zc_err("tcp: " name "=" fmt " is out of range (" range \
			       ")", v);                                     \
			return -ZC_ECONFIG;                                 \
		}                                                           \
	} while (0)

	RANGE(t->credits >= 1 && t->credits <= 1024, "ZC_TCP_CREDITS", "%ld",
	      (long)t->credits, "1..1024");
	RANGE(t->send_size >= 4096 && t->send_size <= (16u << 20),
	      "ZC_TCP_SEND_SIZE", "%zu", (size_t)t->send_size, "4K..16M");
	RANGE(t->max_msg >= (128u << 10) && t->max_msg <= (1u << 30),
	      "ZC_TCP_MAX_MSG", "%zu", (size_t)t->max_msg, "128K..1G");
	RANGE(t->direct_min <= (32u << 10), "ZC_TCP_DIRECT_MIN", "%zu",
	      (size_t)t->direct_min, "0..32K");
	RANGE(t->port >= 0 && t->port <= 65535, "ZC_TCP_PORT", "%ld",
	      (long)t->port, "0..65535");
	RANGE(t->test_delay_us >= 0, "ZC_TCP_TEST_DELAY_US", "%ld",
	      (long)t->test_delay_us, "0 or more");
	RANGE(!strcmp(t->send_zc, "auto") || !strcmp(t->send_zc, "on") ||
	      !strcmp(t->send_zc, "off"), "ZC_TCP_SEND_ZC", "%s", t->send_zc,
	      "auto, on or off");
	RANGE(!strcmp(t->app_drive, "auto") || !strcmp(t->app_drive, "on") ||
	      !strcmp(t->app_drive, "off"), "ZC_TCP_APP_DRIVE", "%s",
	      t->app_drive, "auto, on or off");
	RANGE(!strcmp(t->progress_cpu, "auto") ||
	      !strcmp(t->progress_cpu, "inherit") ||
	      !strcmp(t->progress_cpu, "other"), "ZC_TCP_PROGRESS_CPU", "%s",
	      t->progress_cpu, "auto, inherit or other");
#undef RANGE
	return 0;
}

static int zc_tcp_query(const char **why_p)
{
	int fd = open("/proc/sys/kernel/io_uring_disabled", O_RDONLY);
	char v = '0';

	if (fd >= 0) {
		if (read(fd, &v, 1) != 1)
			v = '0';
		close(fd);
	}
	if (v == '2') {
		*why_p = "io_uring is disabled (kernel.io_uring_disabled=2)";
		return -ENOTSUP;
	}
	if (zc_tcp_crypto_init()) {
		*why_p = "libsodium failed to initialise (sodium_init)";
		return -ENOTSUP;
	}
	return 0;
}

static int zc_tcp_reachable(const struct zc_prov_env *env, int rank)
{
	(void)env;
	(void)rank;
	return 1;
}

/* ZC_TCP_NETNS: enter this rank's namespace (the thread's, inherited by
 * the progress thread) before any socket is made. */
static int enter_netns(int rank)
{
	const char *list = zc_tcp_params.netns;
	char name[128], path[160];
	int n = 1, idx, fd;

	if (!*list)
		return 0;
	for (const char *s = list; *s; s++)
		n += *s == ',';
	idx = rank % n;
	for (; idx > 0; idx--)
		list = strchr(list, ',') + 1;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(list, ","), list);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		int rc = -errno;

		zc_err("tcp: entering network namespace %s: %m", path);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	close(fd);
	return 0;
}

/* auto: loopback when every peer shares my host (and no namespace), else
 * the first interface that is up and not loopback. */
static int pick_addr(const struct zc_prov_env *env, const unsigned char *peers,
		     struct in_addr *ip)
{
	const char *want = zc_tcp_params.iface;
	struct ifaddrs *ifs, *i;
	bool local = !*zc_tcp_params.netns;
	int rc = -ENODEV;

	for (int r = 0; r < env->size && local; r++)
		local = !peers[r] || env->node_of[r] == env->node_of[env->rank];
	if (inet_pton(AF_INET, want, ip) == 1)
		return 0;
	if (!strcmp(want, "auto") && local) {
		ip->s_addr = htonl(INADDR_LOOPBACK);
		return 0;
	}
	if (getifaddrs(&ifs)) {
		rc = -errno;
		zc_err("tcp: getifaddrs: %m");
		return rc;
	}
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP))
			continue;
		if (strcmp(want, "auto") ? strcmp(want, i->ifa_name) != 0 :
		    (i->ifa_flags & IFF_LOOPBACK) != 0)
			continue;
		*ip = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		rc = 0;
		break;
	}
	freeifaddrs(ifs);
	if (rc && !strcmp(want, "auto")) {
		ip->s_addr = htonl(INADDR_LOOPBACK);
		rc = 0;
	}
	if (rc)
		zc_err("tcp: ZC_TCP_IF=%s: no such interface with an IPv4 "
		       "address that is up", want);
	return rc;
}

static int listen_on(struct zc_prov *p, const struct zc_prov_env *env,
		     const unsigned char *peers)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int one = 1, rc;

	rc = pick_addr(env, peers, &sa.sin_addr);
	if (rc)
		return rc;
	if (zc_tcp_params.port) {
		int lr = 0;

		for (int r = 0; r < env->rank; r++)
			lr += env->node_of[r] == env->node_of[env->rank];
		sa.sin_port = htons((uint16_t)(zc_tcp_params.port + lr));
	}
	p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (p->lfd < 0 ||
	    setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(p->lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(p->lfd, 1024) ||
	    getsockname(p->lfd, (struct sockaddr *)&p->laddr, &len)) {
		rc = -errno;
		zc_err("tcp: listening on %s:%u: %m", inet_ntoa(sa.sin_addr),
		       ntohs(sa.sin_port));
		return rc;
	}
	zc_info("tcp: listening on %s:%u", inet_ntoa(p->laddr.sin_addr),
		ntohs(p->laddr.sin_port));
	return 0;
}

static void tcp_free(struct zc_prov *p)
{
	/* Exiting the rings cancels what is pending on our buffers. */
	if (p->rings_ok) {
		io_uring_queue_exit(&p->app_ring);
		io_uring_queue_exit(&p->prog_ring);
	}
	while (p->conns) {
		struct zc_tcp_conn *c = p->conns;

		p->conns = c->next;
		zc_tcp_conn_free(c);
	}
	if (p->lfd >= 0)
		close(p->lfd);
	pthread_mutex_destroy(&p->conns_lock);
	pthread_mutex_destroy(&p->park_lock);
	pthread_cond_destroy(&p->park);
	free(p->out);
	free(p->in);
	free((void *)p->dead);
	free(p);
}

static int rings_init(struct zc_prov *p)
{
	/* Completions run when their submitter enters the kernel (io_uring
	 * runs a completion in the thread that submitted the request), not
	 * by interrupting it: interrupted, an 8-byte put ping-pong took
	 * 47 µs a round trip here against 23 (doc/tcp.md). A receive
	 * that the application thread submitted on prog_ring, which then
	 * computes, completes at its next interrupt or system call, at
	 * worst a scheduler tick later; the progress thread, which takes
	 * the ring over by then, serves it and submits the next one. */
	unsigned flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	int rc = io_uring_queue_init(512, &p->app_ring, flags);

	if (rc == -EINVAL) {
		flags = 0;
		rc = io_uring_queue_init(512, &p->app_ring, flags);
	}
	if (!rc) {
		rc = io_uring_queue_init(512, &p->prog_ring, flags);
		if (rc)
			io_uring_queue_exit(&p->app_ring);
	}
	if (rc) {
		zc_err("tcp: io_uring_queue_init: %s", strerror(-rc));
		return rc;
	}
	p->rings_ok = true;
	return 0;
}

static int zc_tcp_open(const struct zc_prov_env *env,
		       const unsigned char *peers, struct zc_prov **prov_p)
{
	struct zc_prov *p;
	struct tcp_addr a;
	int rc;
	bool any = false;

	rc = params_check();
	if (rc)
		return rc;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->lfd = -1;
	pthread_mutex_init(&p->conns_lock, NULL);
	rc = zc_tcp_progress_init(p);
	if (rc) {
		free(p);
		return rc;
	}
	p->rank = env->rank;
	p->size = env->size;
	p->assigned = peers;
	p->heap = env->heap_base;
	p->heap_size = env->heap_size;
	p->peer_timeout_ms = env->peer_timeout_ms > 0 ? env->peer_timeout_ms
						      : 5000;
	p->boot = env->boot;
	p->out = calloc((size_t)env->size, sizeof(*p->out));
	p->in = calloc((size_t)env->size, sizeof(*p->in));
	p->dead = calloc((size_t)env->size, sizeof(*p->dead));
	*prov_p = p;
	if (!p->out || !p->in || !p->dead)
		return -ENOMEM;
	for (int r = 0; r < env->size; r++)
		any |= peers[r] && r != env->rank;
	/* A sleeping waiter costs a wake-up per reply (several µs here);
	 * polling a little first saves it when the CPU is ours to burn. */
	if (zc_tcp_params.spin_us >= 0)
		p->spin_ns = zc_tcp_params.spin_us * 1000;
	else
		p->spin_ns = 50000;
	p->oversub = env->oversub;
	/* A rank that polls inside zcomm serves its peers faster itself,
	 * unless ranks outnumber CPUs: then its progress thread, which
	 * runs while it is descheduled, does better (doc/tcp.md). */
	p->app_drive = !strcmp(zc_tcp_params.app_drive, "on") ||
		       (!strcmp(zc_tcp_params.app_drive, "auto") && !p->oversub);
	zc_info("tcp: in connections served by %s", p->app_drive ?
	       "the application thread while it polls, else the progress "
	       "thread" : "the progress thread");
	/* Rank 0 makes the job's secret; every rank reads it in connect. */
	if (env->rank == 0) {
		if (getrandom(p->secret, sizeof(p->secret), 0) !=
		    (ssize_t)sizeof(p->secret)) {
			rc = -errno;
			zc_err("tcp: getrandom for the job secret: %m");
			return rc;
		}
		rc = env->boot->put("zc.tcp.secret", p->secret,
				    sizeof(p->secret));
		if (rc)
			return rc;
	}
	/* Listen even without peers of my own when the job has others: a
	 * rank whose ZC_TRANSPORTS differs may still reach me by tcp, and
	 * being one-sided I must serve it. */
	if (!any && env->size == 1)
		return 0;
	rc = enter_netns(env->rank);
	if (!rc)
		rc = listen_on(p, env, peers);
	if (!rc)
		rc = rings_init(p);
	if (rc)
		return rc;
	a.ip = p->laddr.sin_addr.s_addr;
	a.port = p->laddr.sin_port;
	a.pad = 0;
	return env->boot->put("zc.tcp.addr", &a, sizeof(a));
}

static int zc_tcp_connect(struct zc_prov *p)
{
	long long t0 = zc_tcp_now_ms();
	size_t len = sizeof(p->secret);
	int want = 0, rc;

	if (!p->rings_ok)
		return 0;
	rc = p->boot->get(0, "zc.tcp.secret", p->secret, &len);
	if (!rc && len != sizeof(p->secret))
		rc = -EPROTO;
	if (rc) {
		zc_err("tcp: no job secret from rank 0: %s", zc_strerror(rc));
		return rc;
	}
	/* The secret is known before the first hello is looked at. */
	rc = zc_tcp_progress_start(p);
	for (int r = 0; r < p->size && !rc; r++) {
		struct tcp_addr a;
		struct sockaddr_in sa = { .sin_family = AF_INET };

		if (!p->assigned[r] || r == p->rank)
			continue;
		want++;
		len = sizeof(a);
		rc = p->boot->get(r, "zc.tcp.addr", &a, &len);
		if (!rc && len != sizeof(a))
			rc = -EPROTO;
		if (rc) {
			zc_err("tcp: no address published by rank %d", r);
			break;
		}
		sa.sin_addr.s_addr = a.ip;
		sa.sin_port = a.port;
		rc = zc_tcp_conn_start(p, r, &sa);
	}
	/* My out connections only: a peer's connection to me is served
	 * whenever it comes (its own zc_init waits for it), and a peer
	 * whose ZC_TRANSPORTS reaches me otherwise never comes. */
	for (bool sent = false; !rc && (p->nup_out < want || !sent);) {
		bool failed = false;

		zc_tcp_app_wait(p, 1000);
		/* Up, and the proof (AUTH) actually handed to the kernel:
		 * this thread may not come back for a while. */
		sent = true;
		pthread_mutex_lock(&p->conns_lock);
		for (struct zc_tcp_conn *c = p->conns; c; c = c->next) {
			failed |= c->initiator && c->state == ZC_TCP_DEAD;
			sent &= !c->initiator || (!c->txq && !c->tx_busy);
		}
		pthread_mutex_unlock(&p->conns_lock);
		if (failed)
			rc = -ECONNREFUSED;
		else if (zc_tcp_now_ms() - t0 > zc_tcp_params.connect_timeout_ms)
			rc = -ETIMEDOUT;
	}
	if (rc) {
		for (int r = 0; r < p->size; r++)
			if (p->assigned[r] && r != p->rank && !p->out[r])
				zc_err("tcp: no connection to rank %d after %lld "
				       "ms", r, zc_tcp_now_ms() - t0);
	}
	return rc;
}

/* Orderly, in two goodbyes per connection so that neither end closes
 * while the other still sends (a socket closed with unread data answers
 * with a reset, and the peer's send fails with an error line): I finish
 * my ops and say goodbye on my out connections; each target answers
 * behind its last reply (tcp_rx.c) and I wait for that answer (bounded),
 * then the progress thread waits for the goodbyes on the in connections
 * and stops; then free everything. */
static void zc_tcp_close(struct zc_prov *p)
{
	long long t0 = zc_tcp_now_ms();
	bool busy = true;

	if (p->thread_ok) {
		zc_tcp_quiet(p);
		zc_tcp_tx_bye_all(p->out, p->size);
		while (busy && zc_tcp_now_ms() - t0 < p->peer_timeout_ms) {
			busy = false;
			for (int r = 0; r < p->size; r++)
				busy |= p->out[r] &&
					zc_tcp_closing(p->out[r], true);
			if (busy)
				zc_tcp_app_wait(p, 1000);
		}
		zc_tcp_progress_stop(p);
	}
	tcp_free(p);
}

const struct zc_provider_ops zc_tcp_ops = {
	.size = sizeof(struct zc_provider_ops),
	.name = "tcp",
	.params = tcp_params,
	.query = zc_tcp_query,
	.reachable = zc_tcp_reachable,
	.open = zc_tcp_open,
	.connect = zc_tcp_connect,
	.close = zc_tcp_close,
	.put = zc_tcp_put,
	.get = zc_tcp_get,
	.amo = zc_tcp_amo,
	.fence = zc_tcp_fence,
	.quiet = zc_tcp_quiet,
	.progress = zc_tcp_progress,
	.idle = zc_tcp_idle,
	.peer_status = zc_tcp_peer_status,
	.flags = ZC_PROV_F_THREAD,
	.put_signal = zc_tcp_put_signal,
	.quiet_local = zc_tcp_quiet_local,
};
