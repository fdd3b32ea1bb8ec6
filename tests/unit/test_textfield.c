/* The text field's editing logic, with no terminal: keys in, text, cursor and layout out. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hsr/textfield.h"

#include <string.h>

/* The field's text as UTF-8. */
static const char *text_of(const textfield *t)
{
	static char buf[TEXTFIELD_MAX * 4 + 1];
	textfield_get(t, buf, sizeof buf);
	return buf;
}

/* Type each character of UTF-8 s as a key. */
static void type(textfield *t, const char *s)
{
	textfield tmp;
	textfield_init(&tmp, true, TEXTFIELD_MAX);
	textfield_set(&tmp, s);
	for (int i = 0; i < tmp.len; i++)
		textfield_key(t, (int)tmp.text[i]);
}

/* Keys n times. */
static void keys(textfield *t, int key, int n)
{
	while (n-- > 0)
		textfield_key(t, key);
}

/* Typing, moving and deleting on one line. */
static void test_edit_one_line(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, false, 100);
	type(&t, "incident note");
	assert_string_equal(text_of(&t), "incident note");
	assert_int_equal(t.cur, 13);
	keys(&t, TEXTFIELD_LEFT, 5);
	assert_int_equal(textfield_key(&t, 'X'), TEXTFIELD_EDITED);
	assert_string_equal(text_of(&t), "incidentX note");
	assert_int_equal(textfield_key(&t, TEXTFIELD_BACKSPACE), TEXTFIELD_EDITED);
	assert_int_equal(textfield_key(&t, TEXTFIELD_DELETE), TEXTFIELD_EDITED);
	assert_string_equal(text_of(&t), "incidentnote");
	textfield_key(&t, TEXTFIELD_HOME);
	assert_int_equal(t.cur, 0);
	/* At the edges nothing breaks: Backspace at the start, Delete and Right at the end. */
	assert_int_equal(textfield_key(&t, TEXTFIELD_BACKSPACE), TEXTFIELD_MOVED);
	assert_int_equal(textfield_key(&t, TEXTFIELD_LEFT), TEXTFIELD_MOVED);
	assert_int_equal(t.cur, 0);
	textfield_key(&t, TEXTFIELD_END);
	assert_int_equal(t.cur, 12);
	assert_int_equal(textfield_key(&t, TEXTFIELD_DELETE), TEXTFIELD_MOVED);
	textfield_key(&t, TEXTFIELD_RIGHT);
	assert_int_equal(t.cur, 12);
	assert_string_equal(text_of(&t), "incidentnote");
	/* Ctrl-A and Ctrl-E as Home and End. */
	textfield_key(&t, 1);
	assert_int_equal(t.cur, 0);
	textfield_key(&t, 5);
	assert_int_equal(t.cur, 12);
}

/* Ctrl-U, Ctrl-K and Ctrl-W, as their control characters and as keys. */
static void test_kill_keys(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, false, 100);
	type(&t, "token revoked   at 14:02");
	textfield_key(&t, 23); /* Ctrl-W */
	assert_string_equal(text_of(&t), "token revoked   at ");
	textfield_key(&t, TEXTFIELD_KILL_WORD); /* the blanks, then "at" */
	assert_string_equal(text_of(&t), "token revoked   ");
	keys(&t, TEXTFIELD_LEFT, 10);
	textfield_key(&t, 11); /* Ctrl-K */
	assert_string_equal(text_of(&t), "token ");
	textfield_key(&t, TEXTFIELD_LEFT);
	textfield_key(&t, 21); /* Ctrl-U */
	assert_string_equal(text_of(&t), " ");
	assert_int_equal(t.cur, 0);
	/* Ctrl-W at the start deletes nothing. */
	assert_int_equal(textfield_key(&t, 23), TEXTFIELD_MOVED);
	assert_string_equal(text_of(&t), " ");
}

/* Esc cancels and Enter accepts a one-line field; control characters are not text. */
static void test_accept_cancel(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, false, 100);
	type(&t, "ok");
	assert_int_equal(textfield_key(&t, TEXTFIELD_ESC), TEXTFIELD_CANCELLED);
	assert_int_equal(textfield_key(&t, 27), TEXTFIELD_CANCELLED);
	assert_int_equal(textfield_key(&t, TEXTFIELD_ENTER), TEXTFIELD_ACCEPTED);
	assert_int_equal(textfield_key(&t, '\r'), TEXTFIELD_ACCEPTED);
	assert_int_equal(textfield_key(&t, 2), TEXTFIELD_IGNORED); /* Ctrl-B */
	assert_int_equal(textfield_key(&t, 0x7f), TEXTFIELD_IGNORED);
	assert_int_equal(textfield_key(&t, 0x9b), TEXTFIELD_IGNORED); /* C1 CSI */
	assert_int_equal(textfield_key(&t, TEXTFIELD_UP), TEXTFIELD_IGNORED);
	assert_int_equal(textfield_key(&t, '\t'), TEXTFIELD_EDITED); /* a blank */
	assert_string_equal(text_of(&t), "ok ");
}

/* Wide and combining characters: one step per character, widths from wcwidth. */
static void test_wide_characters(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, false, 100);
	/* "e" + combining acute, a CJK character (2 columns), an emoji (2 columns). */
	type(&t, "e\xcc\x81\xe6\x97\xa5\xf0\x9f\x94\xa5!");
	assert_int_equal(t.len, 5);
	assert_int_equal(textfield_wcwidth(L'\x65e5'), 2);
	assert_int_equal(textfield_wcwidth(L'\x0301'), 0);
	assert_int_equal(textfield_wcwidth(L'a'), 1);
	/* Left steps over "!", the emoji, the CJK character, then e with its accent at once. */
	keys(&t, TEXTFIELD_LEFT, 3);
	assert_int_equal(t.cur, 2);
	textfield_key(&t, TEXTFIELD_LEFT);
	assert_int_equal(t.cur, 0);
	textfield_key(&t, TEXTFIELD_RIGHT);
	assert_int_equal(t.cur, 2);
	/* Backspace takes the accented e whole. */
	textfield_key(&t, TEXTFIELD_BACKSPACE);
	assert_string_equal(text_of(&t), "\xe6\x97\xa5\xf0\x9f\x94\xa5!");
	/* The cursor's column counts two per wide character. */
	textfield_key(&t, TEXTFIELD_END);
	textfield_view v;
	textfield_layout(&t, 40, 1, &v);
	assert_int_equal(v.cursor_x, 5);
	/* Characters typed as code points above 255 (how the screens pass them). */
	assert_int_equal(textfield_key(&t, 0x00e9), TEXTFIELD_EDITED);
	assert_int_equal(textfield_key(&t, 0x4e2d), TEXTFIELD_EDITED);
	assert_string_equal(text_of(&t), "\xe6\x97\xa5\xf0\x9f\x94\xa5!\xc3\xa9\xe4\xb8\xad");
}

/* Bad UTF-8 becomes U+FFFD; newlines and tabs in a one-line field become blanks. */
static void test_set_ugly(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, false, 100);
	textfield_set(&t, "a\xff"
			  "b\xe2\x82"
			  "c\n\td\x1b[31m");
	assert_string_equal(text_of(&t), "a\xef\xbf\xbd"
					 "b\xef\xbf\xbd"
					 "c  d[31m");
	/* Overlong and surrogate encodings are refused too. */
	textfield_set(&t, "\xc0\xaf\xed\xa0\x80");
	assert_int_equal(t.text[0], 0xfffd);
	/* The capacity holds, typed or set. */
	textfield_init(&t, false, 5);
	textfield_set(&t, "abcdefgh");
	assert_string_equal(text_of(&t), "abcde");
	assert_int_equal(textfield_key(&t, 'x'), TEXTFIELD_IGNORED);
	/* A small output buffer is cut at a character boundary. */
	textfield_set(&t, "\xc3\xa9\xc3\xa9\xc3\xa9");
	char small[6];
	assert_int_equal(textfield_get(&t, small, sizeof small), 4);
	assert_string_equal(small, "\xc3\xa9\xc3\xa9");
	textfield_set(&t, NULL);
	assert_string_equal(text_of(&t), "");
}

/* Several lines: Enter makes a new line; Enter on an empty last line, or Ctrl-D, accepts. */
static void test_multi_line_accept(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, true, 500);
	type(&t, "429s since 14:00");
	assert_int_equal(textfield_key(&t, TEXTFIELD_ENTER), TEXTFIELD_EDITED);
	type(&t, "paged the app team");
	assert_int_equal(textfield_key(&t, TEXTFIELD_ENTER), TEXTFIELD_EDITED);
	assert_string_equal(text_of(&t), "429s since 14:00\npaged the app team\n");
	/* Enter on the empty last line accepts, without that last newline. */
	assert_int_equal(textfield_key(&t, TEXTFIELD_ENTER), TEXTFIELD_ACCEPTED);
	assert_string_equal(text_of(&t), "429s since 14:00\npaged the app team");
	/* Enter inside the text still splits the line; Ctrl-D accepts from anywhere. */
	keys(&t, TEXTFIELD_LEFT, 9);
	assert_int_equal(textfield_key(&t, '\n'), TEXTFIELD_EDITED);
	assert_string_equal(text_of(&t), "429s since 14:00\npaged the\n app team");
	assert_int_equal(textfield_key(&t, 4), TEXTFIELD_ACCEPTED);
	assert_int_equal(textfield_key(&t, TEXTFIELD_DONE), TEXTFIELD_ACCEPTED);
	/* An empty field accepts at once (nothing to save). */
	textfield_init(&t, true, 500);
	assert_int_equal(textfield_key(&t, TEXTFIELD_ENTER), TEXTFIELD_ACCEPTED);
}

/* Up and Down keep the column; Home, End, Ctrl-U and Ctrl-K work on the current line. */
static void test_multi_line_moves(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, true, 500);
	textfield_set(&t, "first line\nab\nthird line");
	keys(&t, TEXTFIELD_LEFT, 3); /* "third l|ine": column 7 */
	textfield_key(&t, TEXTFIELD_UP);
	assert_int_equal(t.cur, 13); /* end of "ab" */
	textfield_key(&t, TEXTFIELD_UP);
	assert_int_equal(t.cur, 7); /* column 7 again */
	textfield_key(&t, TEXTFIELD_UP);
	assert_int_equal(t.cur, 7);
	textfield_key(&t, TEXTFIELD_DOWN);
	textfield_key(&t, TEXTFIELD_DOWN);
	assert_int_equal(t.cur, 21);
	textfield_key(&t, TEXTFIELD_HOME);
	assert_int_equal(t.cur, 14);
	textfield_key(&t, TEXTFIELD_UP);
	textfield_key(&t, TEXTFIELD_END);
	assert_int_equal(t.cur, 13);
	textfield_key(&t, 21); /* Ctrl-U: "ab" */
	assert_string_equal(text_of(&t), "first line\n\nthird line");
	textfield_key(&t, 11); /* Ctrl-K on an empty line: the lines join */
	assert_string_equal(text_of(&t), "first line\nthird line");
	/* Backspace at a line's start joins it to the line above. */
	textfield_key(&t, TEXTFIELD_BACKSPACE);
	assert_string_equal(text_of(&t), "first linethird line");
}

/* One line wider than the window scrolls so the cursor always shows. */
static void test_scroll_one_line(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, false, 200);
	type(&t, "0123456789abcdefghij");
	textfield_view v;
	textfield_layout(&t, 10, 1, &v);
	/* The cursor's cell is the last column; the 9 characters before it show. */
	assert_int_equal(v.cursor_x, 9);
	assert_int_equal(v.start[0], 11);
	assert_int_equal(v.count[0], 9);
	assert_true(v.more_above);
	textfield_key(&t, TEXTFIELD_HOME);
	textfield_layout(&t, 10, 1, &v);
	assert_int_equal(v.start[0], 0);
	assert_int_equal(v.cursor_x, 0);
	assert_int_equal(v.count[0], 10);
	assert_true(v.more_below);
	/* Wide characters: never half a character, the cursor still inside the window. */
	textfield_init(&t, false, 200);
	for (int i = 0; i < 12; i++)
		textfield_key(&t, 0x65e5);
	for (int w = 3; w <= 12; w++) {
		textfield_layout(&t, w, 1, &v);
		assert_true(v.cursor_x <= w - 1);
		int used = 0;
		for (int i = 0; i < v.count[0]; i++)
			used += textfield_wcwidth(t.text[v.start[0] + i]);
		assert_true(used <= w);
	}
	/* Deleting from the end brings the text back into view. */
	keys(&t, TEXTFIELD_BACKSPACE, 10);
	textfield_layout(&t, 10, 1, &v);
	assert_int_equal(v.start[0], 0);
	assert_int_equal(v.cursor_x, 4);
}

/* Several lines wrap at the width and scroll down and up with the cursor. */
static void test_wrap_multi_line(void **state)
{
	(void)state;
	textfield t;
	textfield_init(&t, true, 500);
	textfield_set(&t, "abcdefghijklmnopqrstuvwxy\nz");
	textfield_view v;
	textfield_layout(&t, 10, 3, &v);
	/* Rows: abcdefghij / klmnopqrst / uvwxy / z: the cursor (after z) is on the fourth. */
	assert_int_equal(t.top, 1);
	assert_int_equal(v.n_rows, 3);
	assert_int_equal(v.start[0], 10);
	assert_int_equal(v.count[2], 1);
	assert_int_equal(v.cursor_y, 2);
	assert_int_equal(v.cursor_x, 1);
	assert_true(v.more_above);
	assert_false(v.more_below);
	textfield_key(&t, TEXTFIELD_UP);
	textfield_key(&t, TEXTFIELD_HOME);
	textfield_layout(&t, 10, 3, &v);
	assert_int_equal(t.top, 0);
	assert_int_equal(v.cursor_y, 0);
	assert_true(v.more_below);
	/* A row filled exactly: the cursor after it starts the next row. */
	textfield_set(&t, "0123456789");
	textfield_layout(&t, 10, 3, &v);
	assert_int_equal(v.cursor_y, 1);
	assert_int_equal(v.cursor_x, 0);
	/* A wide character that would straddle the edge goes to the next row whole. */
	textfield_set(&t, "012345678\xe6\x97\xa5");
	textfield_layout(&t, 10, 3, &v);
	assert_int_equal(v.count[0], 9);
	assert_int_equal(v.start[1], 9);
	assert_int_equal(v.cursor_y, 1);
	assert_int_equal(v.cursor_x, 2);
	/* An empty field: one empty row, the cursor at its start. */
	textfield_set(&t, "");
	textfield_layout(&t, 10, 3, &v);
	assert_int_equal(v.n_rows, 1);
	assert_int_equal(v.cursor_y, 0);
	assert_int_equal(v.cursor_x, 0);
}

int main(void)
{
	/* wcwidth needs a UTF-8 locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_edit_one_line),    cmocka_unit_test(test_kill_keys),
	    cmocka_unit_test(test_accept_cancel),    cmocka_unit_test(test_wide_characters),
	    cmocka_unit_test(test_set_ugly),	     cmocka_unit_test(test_multi_line_accept),
	    cmocka_unit_test(test_multi_line_moves), cmocka_unit_test(test_scroll_one_line),
	    cmocka_unit_test(test_wrap_multi_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
