# The still-screen phase of bench/runner-vs-os-autoinst.sh: GRUB_WAIT seconds at the prompt, doing nothing.
use Mojo::Base 'basetest';
use testapi;

sub run { sleep get_var('GRUB_WAIT') }
1;
