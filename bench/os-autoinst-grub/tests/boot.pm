use Mojo::Base 'basetest';
use testapi;

sub run { assert_screen 'grub-menu', 60 }
sub test_flags { {fatal => 1, milestone => 1} }
1;
