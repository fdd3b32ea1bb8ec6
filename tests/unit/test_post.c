/* Unit tests for posting: Slack webhook and Statuspage against the simulator on 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hsr/post.h"
#include "hsr/sim.h"

#define API_KEY "spk_7f3a9c1e5b2d4a6c8e0f1a2b3c4d5e6f"

typedef struct {
	sim *s;
	http_client *c;
	char hook[200]; /* the webhook URL: a secret like a real one */
	char api[100];	/* statuspage_api_base */
	sim_post *posts;
} fx;

/* Start a healthy simulator and a client. */
static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	char err[200];
	f->s = sim_start("healthy", 0, err, sizeof err);
	if (!f->s)
		return -1;
	f->c = http_client_new();
	f->posts = calloc(8, sizeof *f->posts);
	snprintf(f->hook, sizeof f->hook, "%s/services/T0SIM/B0SIM/xoxSecretHookPart42",
		 sim_base_url(f->s));
	snprintf(f->api, sizeof f->api, "%s/v1", sim_base_url(f->s));
	*state = f;
	return 0;
}

/* Stop everything. */
static int teardown(void **state)
{
	fx *f = *state;
	http_client_free(f->c);
	sim_stop(f->s);
	free(f->posts);
	free(f);
	return 0;
}

/* The last post the simulator received. */
static const sim_post *last_post(fx *f)
{
	size_t n = sim_posts(f->s, f->posts, 8);
	assert_true(n > 0);
	return &f->posts[(n < 8 ? n : 8) - 1];
}

/* An error line never holds the webhook's secret path or the API key. */
static void assert_no_secret(const post_result *r, const fx *f)
{
	assert_null(strstr(r->error, f->hook));
	assert_null(strstr(r->error, "xoxSecretHookPart42"));
	assert_null(strstr(r->error, API_KEY));
	assert_null(strstr(r->error, "/services/"));
	assert_null(strchr(r->error, '\n'));
}

/* Slack: the exact text arrives as {"text": …} and the answer is ok. */
static void test_slack_ok(void **state)
{
	fx *f = *state;
	post_result r;
	const char *text = ":red_circle: *P1* cause &lt;x&gt; \"quoted\" é\nNext update: 15:20 UTC";
	assert_int_equal(post_slack(f->c, NULL, f->hook, text, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.error, "");
	const sim_post *p = last_post(f);
	assert_string_equal(p->method, "POST");
	assert_string_equal(p->path, "/services/T0SIM/B0SIM/xoxSecretHookPart42");
	assert_non_null(strstr(p->content_type, "application/json"));
	json_t *j = json_loads(p->body, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "text")), text);
	json_decref(j);
}

/* Slack 429 with a short Retry-After: waited out, then sent once more. */
static void test_slack_429_retry_after(void **state)
{
	fx *f = *state;
	sim_set_post_fault(f->s, SIM_POST_429, 1, 1);
	size_t before = sim_posts(f->s, NULL, 0);
	post_result r;
	int64_t t0 = common_mono_ms();
	assert_int_equal(post_slack(f->c, NULL, f->hook, "update", &r), 0);
	int64_t took = common_mono_ms() - t0;
	assert_true(r.ok);
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.retry_after_s, 1);
	assert_true(took >= 950); /* it waited the second Slack asked for */
	assert_int_equal(sim_posts(f->s, f->posts, 8), before + 2);
	assert_int_equal(last_post(f)->status, 200);
}

/* A Retry-After longer than we wait: not sent, and the line says when to try again. */
static void test_slack_429_too_long(void **state)
{
	fx *f = *state;
	sim_set_post_fault(f->s, SIM_POST_429, 1, 120);
	post_result r;
	int64_t t0 = common_mono_ms();
	assert_int_equal(post_slack(f->c, NULL, f->hook, "update", &r), -1);
	assert_true(common_mono_ms() - t0 < 5000);
	assert_false(r.ok);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after_s, 120);
	assert_non_null(strstr(r.error, "429"));
	assert_non_null(strstr(r.error, "120 s"));
	assert_no_secret(&r, f);
}

/* Slack 500: refused with a line that says so, once (no retry of a server error). */
static void test_slack_500(void **state)
{
	fx *f = *state;
	sim_set_post_fault(f->s, SIM_POST_500, 1, 0);
	post_result r;
	assert_int_equal(post_slack(f->c, NULL, f->hook, "update", &r), -1);
	assert_int_equal(r.status, 500);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(r.error, "HTTP 500"));
	assert_non_null(strstr(r.error, "try again"));
	assert_no_secret(&r, f);
	/* The fault was for one post: the next goes through. */
	assert_int_equal(post_slack(f->c, NULL, f->hook, "update", &r), 0);
}

/* A hung webhook: the time-out ends it, and the line warns it may have arrived. */
static void test_slack_timeout(void **state)
{
	fx *f = *state;
	sim_set_post_fault(f->s, SIM_POST_HANG, 1, 0);
	post_opts o = {.timeout_ms = 800, .connect_timeout_ms = 800};
	post_result r;
	int64_t t0 = common_mono_ms();
	assert_int_equal(post_slack(f->c, &o, f->hook, "update", &r), -1);
	int64_t took = common_mono_ms() - t0;
	assert_true(took >= 700 && took < 5000);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.error, "did not answer in time"));
	assert_non_null(strstr(r.error, "127.0.0.1"));
	assert_no_secret(&r, f);
	assert_int_equal(last_post(f)->status, 0);
}

/* Slack refusing the webhook (a wrong path): the status and Slack's word, no secret. */
static void test_slack_refused_and_unset(void **state)
{
	fx *f = *state;
	char bad[200];
	snprintf(bad, sizeof bad, "%s/nothing/xoxSecretHookPart42", sim_base_url(f->s));
	post_result r;
	assert_int_equal(post_slack(f->c, NULL, bad, "update", &r), -1);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.error, "webhook URL"));
	assert_no_secret(&r, f);
	assert_int_equal(post_slack(f->c, NULL, "", "update", &r), -1);
	assert_non_null(strstr(r.error, POST_ENV_SLACK_WEBHOOK));
	assert_int_equal(post_slack(f->c, NULL, "ftp://x/xoxSecretHookPart42", "u", &r), -1);
	assert_no_secret(&r, f);
}

/* A Statuspage create on the simulator's page, with our key. */
static post_statuspage_req sp_req(const fx *f)
{
	return (post_statuspage_req){.api_base = f->api,
				     .page_id = "pg0sim1",
				     .api_key = API_KEY,
				     .name = "Delays syncing with our CRM",
				     .status = "investigating",
				     .body = "We are looking into it.",
				     .impact = post_statuspage_impact(1)};
}

/* Statuspage: create, update by id, resolve; the key goes as OAuth; the same id throughout. */
static void test_statuspage_create_update_resolve(void **state)
{
	fx *f = *state;
	post_statuspage_req q = sp_req(f);
	post_result r;
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.status, 201);
	assert_int_equal(strlen(r.incident_id), 12);
	assert_non_null(strstr(r.shortlink, r.incident_id));
	const sim_post *p = last_post(f);
	assert_string_equal(p->method, "POST");
	assert_string_equal(p->path, "/v1/pages/pg0sim1/incidents");
	assert_string_equal(p->auth, "OAuth " API_KEY);
	json_t *j = json_loads(p->body, 0, NULL);
	json_t *inc = json_object_get(j, "incident");
	assert_string_equal(json_string_value(json_object_get(inc, "name")), q.name);
	assert_string_equal(json_string_value(json_object_get(inc, "status")), "investigating");
	assert_string_equal(json_string_value(json_object_get(inc, "body")), q.body);
	assert_string_equal(json_string_value(json_object_get(inc, "impact_override")), "critical");
	json_decref(j);

	char id[64];
	snprintf(id, sizeof id, "%s", r.incident_id);
	q.incident_id = id;
	q.status = "identified";
	q.body = "We found the cause.";
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.incident_id, id);
	p = last_post(f);
	assert_string_equal(p->method, "PATCH");
	char want[100];
	snprintf(want, sizeof want, "/v1/pages/pg0sim1/incidents/%s", id);
	assert_string_equal(p->path, want);

	q.status = "resolved";
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), 0);
	j = json_loads(last_post(f)->body, 0, NULL);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "incident"), "status")),
	    "resolved");
	json_decref(j);
}

/* Statuspage failures: unknown incident (404), wrong key (401), 500, 429, time-out. */
static void test_statuspage_failures(void **state)
{
	fx *f = *state;
	post_statuspage_req q = sp_req(f);
	q.incident_id = "nosuchincident";
	q.status = "monitoring";
	post_result r;
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), -1);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.error, "statuspage_page_id"));
	assert_no_secret(&r, f);

	q.incident_id = NULL;
	sim_set_post_fault(f->s, SIM_POST_500, 1, 0);
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), -1);
	assert_int_equal(r.status, 500);
	assert_no_secret(&r, f);

	sim_set_post_fault(f->s, SIM_POST_429, 1, 1);
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), 0);
	assert_int_equal(r.attempts, 2);

	sim_set_post_fault(f->s, SIM_POST_HANG, 1, 0);
	post_opts o = {.timeout_ms = 600};
	assert_int_equal(post_statuspage(f->c, &o, &q, &r), -1);
	assert_non_null(strstr(r.error, "did not answer in time"));
	assert_no_secret(&r, f);

	/* Not configured, or a page id that would change the path: refused before sending. */
	size_t before = sim_posts(f->s, NULL, 0);
	q.api_key = "";
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), -1);
	assert_non_null(strstr(r.error, POST_ENV_STATUSPAGE_KEY));
	q.api_key = API_KEY;
	q.page_id = "../x";
	assert_int_equal(post_statuspage(f->c, NULL, &q, &r), -1);
	assert_non_null(strstr(r.error, "statuspage_page_id"));
	assert_int_equal(sim_posts(f->s, NULL, 0), before);
}

/* The simulator refuses a Statuspage call without the OAuth header (so the client must send it). */
static void test_statuspage_needs_key_header(void **state)
{
	fx *f = *state;
	char url[200];
	snprintf(url, sizeof url, "%s/pages/pg0sim1/incidents", f->api);
	http_send req = {.method = "POST", .body = "{}", .body_len = 2};
	http_opts ho = {.timeout_ms = 3000};
	http_response resp;
	assert_int_equal(http_request(f->c, url, &ho, &req, &resp), HTTP_OK);
	assert_int_equal(resp.status, 401);
	http_response_free(&resp);
}

/* The post fault can be set over HTTP too (for tmux tests of the screens). */
static void test_post_fault_control(void **state)
{
	fx *f = *state;
	char url[200];
	snprintf(url, sizeof url, "%s/_sim/post-fault", sim_base_url(f->s));
	http_opts ho = {.timeout_ms = 3000};
	http_response resp;
	http_send req = {.method = "POST", .body = "500 2", .body_len = 5};
	assert_int_equal(http_request(f->c, url, &ho, &req, &resp), HTTP_OK);
	assert_int_equal(resp.status, 200);
	http_response_free(&resp);
	post_result r;
	assert_int_equal(post_slack(f->c, NULL, f->hook, "a", &r), -1);
	assert_int_equal(r.status, 500);
	assert_int_equal(post_slack(f->c, NULL, f->hook, "b", &r), -1);
	assert_int_equal(post_slack(f->c, NULL, f->hook, "c", &r), 0);
	req.body = "429 1 7";
	req.body_len = 7;
	assert_int_equal(http_request(f->c, url, &ho, &req, &resp), HTTP_OK);
	http_response_free(&resp);
	post_opts o = {.max_wait_s = 5};
	assert_int_equal(post_slack(f->c, &o, f->hook, "d", &r), -1);
	assert_int_equal(r.retry_after_s, 7);
	req.body = "sometimes";
	req.body_len = 9;
	assert_int_equal(http_request(f->c, url, &ho, &req, &resp), HTTP_OK);
	assert_int_equal(resp.status, 400);
	http_response_free(&resp);
}

/* Secrets: environment first, then a 0600 file; a readable file is refused; never echoed. */
static void test_secret_sources(void **state)
{
	(void)state;
	char path[] = "/tmp/hsr-test-post-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "  s3cr3t-from-file\n", 19), 19);
	close(fd);
	char out[POST_SECRET_MAX], err[300];
	unsetenv("HSR_TEST_POST_SECRET");
	assert_int_equal(
	    post_secret("HSR_TEST_POST_SECRET", NULL, "key", out, sizeof out, err, sizeof err), 1);
	assert_int_equal(post_secret("HSR_TEST_POST_SECRET", path, "Statuspage key file", out,
				     sizeof out, err, sizeof err),
			 0);
	assert_string_equal(out, "s3cr3t-from-file");
	setenv("HSR_TEST_POST_SECRET", "from-env", 1);
	assert_int_equal(
	    post_secret("HSR_TEST_POST_SECRET", path, "key", out, sizeof out, err, sizeof err), 0);
	assert_string_equal(out, "from-env");
	setenv("HSR_TEST_POST_SECRET", "two words", 1);
	assert_int_equal(
	    post_secret("HSR_TEST_POST_SECRET", path, "key", out, sizeof out, err, sizeof err), -1);
	assert_null(strstr(err, "two words"));
	unsetenv("HSR_TEST_POST_SECRET");
	chmod(path, 0644);
	assert_int_equal(post_secret("HSR_TEST_POST_SECRET", path, "Statuspage key file", out,
				     sizeof out, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "chmod 600"));
	assert_null(strstr(err, "s3cr3t"));
	unlink(path);
}

/* The notice's first line is the title; the rest the body. */
static void test_notice_split(void **state)
{
	(void)state;
	char name[100];
	const char *body =
	    post_notice_split("Delays syncing\nWe are on it.\nMore.", name, sizeof name);
	assert_string_equal(name, "Delays syncing");
	assert_string_equal(body, "We are on it.\nMore.");
	body = post_notice_split("Only a title", name, sizeof name);
	assert_string_equal(name, "Only a title");
	assert_string_equal(body, "");
	assert_string_equal(post_statuspage_impact(2), "major");
	assert_string_equal(post_statuspage_impact(4), "none");
	assert_string_equal(post_statuspage_impact(0), "critical");
}

int main(void)
{
	http_global_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_slack_ok),
	    cmocka_unit_test(test_slack_429_retry_after),
	    cmocka_unit_test(test_slack_429_too_long),
	    cmocka_unit_test(test_slack_500),
	    cmocka_unit_test(test_slack_timeout),
	    cmocka_unit_test(test_slack_refused_and_unset),
	    cmocka_unit_test(test_statuspage_create_update_resolve),
	    cmocka_unit_test(test_statuspage_failures),
	    cmocka_unit_test(test_statuspage_needs_key_header),
	    cmocka_unit_test(test_post_fault_control),
	    cmocka_unit_test(test_secret_sources),
	    cmocka_unit_test(test_notice_split),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	http_global_cleanup();
	return rc;
}
