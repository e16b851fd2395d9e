#!/usr/bin/perl
# Times os-autoinst's own imaging (Debian package os-autoinst: tinycv + needle.pm) on the files that
# `Needlework.Benchmarks prepare DIR` writes, printing the median milliseconds of each operation as JSON.
# Every search runs on a fresh copy of the screen, as each check in os-autoinst gets a new screenshot.
use strict;
use warnings;
use lib '/usr/lib/os-autoinst';
use JSON::PP;
use Time::HiRes qw(time);
use bmwqemu;
use needle;
use tinycv;

my ($dir, $runs) = @ARGV;
$runs ||= 50;
my $screen = tinycv::read("$dir/screen.png") or die "cannot read $dir/screen.png";
my $changed = tinycv::read("$dir/screen-changed.png") or die;

sub median { my @s = sort { $a <=> $b } @_; return $s[int(@s / 2)]; }
sub timed {
    my ($code) = @_;
    my @ms;
    for (1 .. $runs) {
        my $t0 = time;
        $code->();
        push @ms, (time - $t0) * 1000;
    }
    return median(@ms);
}
sub needles_in {
    my ($sub) = @_;
    $bmwqemu::vars{NEEDLES_DIR} = "$dir/$sub";
    needle::init("$dir/$sub");
    return [sort { $a->{name} cmp $b->{name} } needle::all()];
}

my %result;
$result{ppm_write} = timed(sub { my $d = $screen->ppm_data; });
$result{psnr} = timed(sub { my $s = $screen->similarity($changed); });

my $one = needles_in('one');
$one->[0]->get_image;    # load once, as a running job has it cached
my @copies = map { $screen->copy } 1 .. $runs;
$result{search_one} = timed(sub { my $img = pop @copies; my $r = $img->search_($one->[0], 0, 0); });

my $twenty = needles_in('twenty');
$_->get_image for @$twenty;
@copies = map { $screen->copy } 1 .. $runs;
$result{search_twenty} = timed(sub { my $img = pop @copies; my ($best) = $img->search($twenty, 0, 0); die 'no match' unless $best; });

print JSON::PP->new->canonical->encode(\%result), "\n";
