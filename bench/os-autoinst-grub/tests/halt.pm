use Mojo::Base 'basetest';
use testapi;

sub run { type_string "halt\n"; assert_shutdown 30 }
sub test_flags { {always_run => 1} }
1;
