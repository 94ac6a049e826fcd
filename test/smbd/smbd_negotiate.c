/* SPDX-License-Identifier: MIT */
/* Negotiate request/response: exact byte images, round trips, every
 * truncation, version/credit/size rules and the derived limits. */
#include <errno.h>

#include "smbd.h"
#include "t_smbd.h"

/* MS-SMBD 4.1 example request: 10 credits, 1 KiB send/receive, 128 KiB. */
static const uint8_t spec_req[20] = {
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
};

/* Every field distinct, so a swapped or mis-sized field shows. */
static const uint8_t odd_req[20] = {
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0x01, 0x67, 0x05,
	0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
};

static const uint8_t spec_resp[32] = {
	0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0x0a, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x10, 0x00, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
};

static const uint8_t odd_resp[32] = {
	0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0xff, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x56, 0x34, 0x12, 0x00, 0x00, 0x04, 0x00, 0x00,
	0x54, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
};

static const uint8_t fail_resp[32] = {
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xbb, 0x00, 0x00, 0xc0,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static int req_decode_patched(size_t off, uint32_t v, int width)
{
	uint8_t b[20];
	struct zc_smbd_negotiate_req r;

	memcpy(b, odd_req, sizeof(b));
	if (width == 2)
		put16(b + off, (uint16_t)v);
	else
		put32(b + off, v);
	return zc_smbd_negotiate_req_decode(b, sizeof(b), &r);
}

static int resp_decode_patched(size_t off, uint32_t v, int width)
{
	uint8_t b[32];
	struct zc_smbd_negotiate_resp r;

	memcpy(b, odd_resp, sizeof(b));
	if (width == 2)
		put16(b + off, (uint16_t)v);
	else
		put32(b + off, v);
	return zc_smbd_negotiate_resp_decode(b, sizeof(b), &r);
}

static void test_req(void)
{
	struct zc_smbd_negotiate_req spec = {
		.min_version = 0x0100, .max_version = 0x0100,
		.credits_requested = 10, .preferred_send_size = 1024,
		.max_receive_size = 1024, .max_fragmented_size = 131072,
	};
	struct zc_smbd_negotiate_req odd = {
		.min_version = 0x0100, .max_version = 0x0100,
		.credits_requested = 0x01ff, .preferred_send_size = 0x567,
		.max_receive_size = 0x2000, .max_fragmented_size = 0x100000,
	};
	struct zc_smbd_negotiate_req r;
	uint8_t buf[64];

	memset(buf, 0xee, sizeof(buf));
	T_EQ(zc_smbd_negotiate_req_encode(&spec, buf, sizeof(buf)), 20);
	T_BYTES(buf, spec_req, 20);
	T_EQ(buf[20], 0xee); /* wrote nothing past the message */
	T_EQ(zc_smbd_negotiate_req_encode(&odd, buf, 20), 20);
	T_BYTES(buf, odd_req, 20);
	T_EQ(zc_smbd_negotiate_req_encode(&odd, buf, 19), -ENOBUFS);

	memset(&r, 0, sizeof(r));
	T_EQ(zc_smbd_negotiate_req_decode(odd_req, 20, &r), 0);
	T_EQ(r.min_version, 0x0100);
	T_EQ(r.max_version, 0x0100);
	T_EQ(r.credits_requested, 0x01ff);
	T_EQ(r.preferred_send_size, 0x567);
	T_EQ(r.max_receive_size, 0x2000);
	T_EQ(r.max_fragmented_size, 0x100000);

	/* Every truncation, each on an exactly sized heap copy. */
	for (size_t n = 0; n < 20; n++) {
		void *cut = t_dup(odd_req, n);

		T_EQ(zc_smbd_negotiate_req_decode(cut, n, &r), -EBADMSG);
		free(cut);
	}
	/* Trailing bytes are not part of the message and are ignored. */
	memcpy(buf, odd_req, 20);
	T_EQ(zc_smbd_negotiate_req_decode(buf, 40, &r), 0);
	/* Reserved is ignored on receipt. */
	T_EQ(req_decode_patched(4, 0xbeef, 2), 0);

	/* Versions: the range must contain 1.0, nothing else matters. */
	memcpy(buf, odd_req, 20);
	put16(buf + 0, 0x0000);
	put16(buf + 2, 0x0300);
	T_EQ(zc_smbd_negotiate_req_decode(buf, 20, &r), 0);
	put16(buf + 0, 0x0200);
	put16(buf + 2, 0x0200);
	T_EQ(zc_smbd_negotiate_req_decode(buf, 20, &r), -EPROTONOSUPPORT);
	T_EQ(r.min_version, 0x0200); /* filled so a failure reply can be built */
	put16(buf + 0, 0x0000);
	put16(buf + 2, 0x00ff);
	T_EQ(zc_smbd_negotiate_req_decode(buf, 20, &r), -EPROTONOSUPPORT);
	put16(buf + 0, 0x0101); /* min > max: empty range */
	put16(buf + 2, 0x0100);
	T_EQ(zc_smbd_negotiate_req_decode(buf, 20, &r), -EPROTONOSUPPORT);

	T_EQ(req_decode_patched(6, 0, 2), -EPROTO);
	T_EQ(req_decode_patched(6, 1, 2), 0);
	T_EQ(req_decode_patched(12, 127, 4), -EPROTO);
	T_EQ(req_decode_patched(12, 128, 4), 0);
	T_EQ(req_decode_patched(16, 131071, 4), -EPROTO);
	T_EQ(req_decode_patched(16, 131072, 4), 0);
	/* PreferredSendSize has no floor: the receiver clamps instead. */
	T_EQ(req_decode_patched(8, 0, 4), 0);

	/* The encoder refuses what the decoder would reject. */
	r = odd;
	r.credits_requested = 0;
	T_EQ(zc_smbd_negotiate_req_encode(&r, buf, 20), -EINVAL);
	r = odd;
	r.min_version = r.max_version = 0x0200;
	T_EQ(zc_smbd_negotiate_req_encode(&r, buf, 20), -EINVAL);
	r = odd;
	r.max_receive_size = 127;
	T_EQ(zc_smbd_negotiate_req_encode(&r, buf, 20), -EINVAL);
	T_EQ(zc_smbd_negotiate_req_encode(NULL, buf, 20), -EINVAL);
	T_EQ(zc_smbd_negotiate_req_decode(NULL, 20, &r), -EINVAL);
}

static void test_resp(void)
{
	struct zc_smbd_negotiate_resp spec = {
		.min_version = 0x0100, .max_version = 0x0100,
		.negotiated_version = 0x0100, .credits_requested = 10,
		.credits_granted = 10, .status = 0,
		.max_read_write_size = 0x100000, .preferred_send_size = 1024,
		.max_receive_size = 1024, .max_fragmented_size = 131072,
	};
	struct zc_smbd_negotiate_resp odd = {
		.min_version = 0x0100, .max_version = 0x0100,
		.negotiated_version = 0x0100, .credits_requested = 0xff,
		.credits_granted = 0x20, .status = 0,
		.max_read_write_size = 0x123456, .preferred_send_size = 0x400,
		.max_receive_size = 0x554, .max_fragmented_size = 0x20000,
	};
	struct zc_smbd_negotiate_resp r, fail;
	uint8_t buf[64];

	memset(buf, 0xee, sizeof(buf));
	T_EQ(zc_smbd_negotiate_resp_encode(&spec, buf, sizeof(buf)), 32);
	T_BYTES(buf, spec_resp, 32);
	T_EQ(buf[32], 0xee);
	T_EQ(zc_smbd_negotiate_resp_encode(&odd, buf, 32), 32);
	T_BYTES(buf, odd_resp, 32);
	T_EQ(zc_smbd_negotiate_resp_encode(&odd, buf, 31), -ENOBUFS);

	memset(&r, 0, sizeof(r));
	T_EQ(zc_smbd_negotiate_resp_decode(odd_resp, 32, &r), 0);
	T_EQ(r.min_version, 0x0100);
	T_EQ(r.max_version, 0x0100);
	T_EQ(r.negotiated_version, 0x0100);
	T_EQ(r.credits_requested, 0xff);
	T_EQ(r.credits_granted, 0x20);
	T_EQ(r.status, 0);
	T_EQ(r.max_read_write_size, 0x123456);
	T_EQ(r.preferred_send_size, 0x400);
	T_EQ(r.max_receive_size, 0x554);
	T_EQ(r.max_fragmented_size, 0x20000);

	for (size_t n = 0; n < 32; n++) {
		void *cut = t_dup(odd_resp, n);

		T_EQ(zc_smbd_negotiate_resp_decode(cut, n, &r), -EBADMSG);
		free(cut);
	}
	T_EQ(resp_decode_patched(6, 0x1234, 2), 0); /* Reserved ignored */

	/* A failure response: only versions and Status survive encoding. */
	fail = odd;
	fail.status = ZC_SMBD_STATUS_NOT_SUPPORTED;
	T_EQ(zc_smbd_negotiate_resp_encode(&fail, buf, 32), 32);
	T_BYTES(buf, fail_resp, 32);
	T_EQ(zc_smbd_negotiate_resp_decode(fail_resp, 32, &r), -ECONNREFUSED);
	T_EQ(r.status, 0xC00000BBu);

	T_EQ(resp_decode_patched(4, 0x0200, 2), -EPROTONOSUPPORT);
	T_EQ(resp_decode_patched(4, 0x0000, 2), -EPROTONOSUPPORT);
	T_EQ(resp_decode_patched(8, 0, 2), -EPROTO);
	T_EQ(resp_decode_patched(10, 0, 2), -EPROTO);
	T_EQ(resp_decode_patched(24, 127, 4), -EPROTO);
	T_EQ(resp_decode_patched(24, 128, 4), 0);
	T_EQ(resp_decode_patched(28, 131071, 4), -EPROTO);
	T_EQ(resp_decode_patched(28, 131072, 4), 0);
	T_EQ(resp_decode_patched(12, 1, 4), -ECONNREFUSED);

	r = odd;
	r.credits_granted = 0;
	T_EQ(zc_smbd_negotiate_resp_encode(&r, buf, 32), -EINVAL);
	r = odd;
	r.negotiated_version = 0x0200;
	T_EQ(zc_smbd_negotiate_resp_encode(&r, buf, 32), -EINVAL);
}

static void test_limits(void)
{
	struct zc_smbd_limits local = {
		.max_send_size = 1364, .max_receive_size = 8192,
		.max_fragmented_recv_size = 1048576,
		.max_read_write_size = 1048576,
	};
	struct zc_smbd_negotiate_req req = {
		.min_version = 0x0100, .max_version = 0x0100,
		.credits_requested = 255, .preferred_send_size = 4096,
		.max_receive_size = 1024, .max_fragmented_size = 131072,
	};
	struct zc_smbd_negotiate_resp resp = {
		.min_version = 0x0100, .max_version = 0x0100,
		.negotiated_version = 0x0100, .credits_requested = 255,
		.credits_granted = 255, .max_read_write_size = 65536,
		.preferred_send_size = 2048, .max_receive_size = 4096,
		.max_fragmented_size = 262144,
	};
	struct zc_smbd_limits a, bad;

	T_EQ(zc_smbd_negotiate_accept(&local, &req, &a), 0);
	T_EQ(a.max_receive_size, 4096);  /* min(8192, peer pref 4096) */
	T_EQ(a.max_send_size, 1024);     /* min(1364, peer max recv 1024) */
	T_EQ(a.max_fragmented_send_size, 131072);
	T_EQ(a.max_fragmented_recv_size, 1048576);
	T_EQ(a.max_read_write_size, 1048576);

	req.preferred_send_size = 64; /* clamps up to the 128 floor */
	T_EQ(zc_smbd_negotiate_accept(&local, &req, &a), 0);
	T_EQ(a.max_receive_size, 128);

	T_EQ(zc_smbd_negotiate_finish(&local, &resp, &a), 0);
	T_EQ(a.max_receive_size, 2048);
	T_EQ(a.max_send_size, 1364);
	T_EQ(a.max_fragmented_send_size, 262144);
	T_EQ(a.max_read_write_size, 65536);
	resp.preferred_send_size = 8193; /* above our MaxReceiveSize */
	T_EQ(zc_smbd_negotiate_finish(&local, &resp, &a), -EPROTO);

	bad = local;
	bad.max_send_size = 127;
	T_EQ(zc_smbd_negotiate_accept(&bad, &req, &a), -EINVAL);
	bad = local;
	bad.max_fragmented_recv_size = 131071;
	T_EQ(zc_smbd_negotiate_finish(&bad, &resp, &a), -EINVAL);
}

int main(void)
{
	test_req();
	test_resp();
	test_limits();
	return t_result("smbd_negotiate");
}
