# The GRUB example as an os-autoinst test distribution (Perl), so Debian's os-autoinst can run the
# same test on the same ISO with the same needles, for the CPU comparison in bench/runner-vs-os-autoinst.sh.
use strict;
use warnings;
use testapi;
use autotest;

autotest::loadtest("tests/$_.pm") for qw(boot console ls help halt);
1;
