# The GRUB example as an os-autoinst test distribution (Perl), so Debian's os-autoinst can run the
# same test on the same ISO with the same needles, for the CPU comparison in bench/runner-vs-os-autoinst.sh.
use strict;
use warnings;
use testapi;
use autotest;

# GRUB_WAIT adds a still-screen phase before halt (bench/runner-vs-os-autoinst.sh's second argument).
autotest::loadtest("tests/$_.pm") for qw(boot console ls help), (testapi::get_var('GRUB_WAIT') ? ('wait') : ()), 'halt';
1;
