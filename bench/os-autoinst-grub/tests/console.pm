use Mojo::Base 'basetest';
use testapi;

sub run { send_key 'c'; assert_screen 'grub-console' }
sub test_flags { {fatal => 1} }
1;
