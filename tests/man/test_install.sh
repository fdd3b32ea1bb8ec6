#!/bin/sh
# make install / uninstall into a temporary DESTDIR with a PREFIX of its own: the binary and the
# man page land where PREFIX says, with their modes, run and render from there, and are gone after
# uninstall. The default PREFIX (/usr/local) is checked with a dry run.
# Usage: sh tests/man/test_install.sh (from the project root; MAKE names make)
set -u
MAKE=${MAKE:-make}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	fail=1
}

prefix=/opt/hsr-test
bin=$tmp$prefix/bin/hsrunbook
page=$tmp$prefix/share/man/man1/hsrunbook.1

if $MAKE -s install DESTDIR="$tmp" PREFIX=$prefix >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR PREFIX"
else
	not_ok "make install failed: $(tail -n 3 "$tmp/install.log")"
fi
if [ -x "$bin" ] && [ "$(stat -c %a "$bin")" = 755 ]; then ok "binary installed, mode 755"; else
	not_ok "no binary of mode 755 at $bin"; fi
if [ "$("$bin" --version 2>&1)" = "hsrunbook $(sed -n 's/.*HSR_VERSION "\(.*\)".*/\1/p' include/hsr/common.h)" ]; then
	ok "the installed binary runs"
else
	not_ok "the installed binary does not say its version"
fi
if [ -f "$page" ] && [ "$(stat -c %a "$page")" = 644 ] && cmp -s "$page" hsrunbook.1; then
	ok "man page installed, mode 644, the same as hsrunbook.1"
else
	not_ok "no man page of mode 644 at $page"
fi
if groff -man -Tutf8 -P-cbou "$page" 2>/dev/null | grep -q "^EXIT STATUS"; then
	ok "the installed man page renders"
else
	not_ok "the installed man page does not render"
fi
if command -v man >/dev/null 2>&1; then
	found=$(MANPATH=$tmp$prefix/share/man man -w hsrunbook 2>/dev/null)
	if [ "$found" = "$page" ]; then ok "man finds it under PREFIX/share/man"; else
		not_ok "man -w hsrunbook gave \"$found\", not $page"; fi
fi
if $MAKE -s -n install DESTDIR=/d 2>/dev/null | grep -q "/d/usr/local/bin/hsrunbook" &&
	$MAKE -s -n install DESTDIR=/d 2>/dev/null | grep -q "/d/usr/local/share/man/man1/hsrunbook.1"; then
	ok "PREFIX defaults to /usr/local"
else
	not_ok "the default PREFIX is not /usr/local"
fi

if $MAKE -s uninstall DESTDIR="$tmp" PREFIX=$prefix >"$tmp/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR PREFIX"
else
	not_ok "make uninstall failed"
fi
if [ ! -e "$bin" ] && [ ! -e "$page" ]; then ok "uninstall removed both"; else
	not_ok "uninstall left $(ls "$bin" "$page" 2>/dev/null)"; fi

[ "$fail" = 0 ] && echo "test_install: all passed"
exit "$fail"
