use Mojo::Base 'basetest';
use testapi;

sub run { type_string "ls\n"; assert_screen 'grub-ls-output' }
1;
