use Mojo::Base 'basetest';
use testapi;

sub run { type_string "help\n"; assert_screen 'grub-help-output' }
1;
