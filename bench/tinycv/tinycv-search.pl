#!/usr/bin/perl
# Runs os-autoinst's own needle search (Debian package os-autoinst: tinycv + needle.pm) on screens,
# printing one JSON line per screen and needle: pass/fail and each match area's position and similarity.
# Usage: tinycv-search.pl RATIO NEEDLES_DIR SCREEN.png...
use strict;
use warnings;
use lib '/usr/lib/os-autoinst';
use JSON::PP;
use Time::HiRes qw(time);
use bmwqemu;
use needle;
use tinycv;

my ($ratio, $dir, @screens) = @ARGV;
$bmwqemu::vars{NEEDLES_DIR} = $dir;
needle::init($dir);
my @needles = sort { $a->{name} cmp $b->{name} } needle::all();
my $json = JSON::PP->new->canonical;
for my $screen (@screens) {
    my $img = tinycv::read($screen) or die "cannot read $screen";
    for my $n (@needles) {
        my $t0 = time;
        my $r = $img->search_($n, 0, $ratio);
        my $ms = (time - $t0) * 1000;
        print $json->encode({screen => $screen, needle => $n->{name}, ok => $r->{ok} ? JSON::PP::true : JSON::PP::false, ms => $ms,
            areas => [map { {x => $_->{x}, y => $_->{y}, similarity => $_->{similarity}} } @{$r->{area}}]}), "\n";
    }
}
