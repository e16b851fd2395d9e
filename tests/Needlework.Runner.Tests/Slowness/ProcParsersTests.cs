using System.Text;
using Needlework.Runner.Slowness;

namespace Needlework.Runner.Tests.Slowness;

public sealed class ProcParsersTests
{
    [Fact]
    public void Process_stat_gives_utime_plus_stime_and_state_past_a_name_with_spaces_and_parentheses()
    {
        var line = "9703 (qemu (x) 86) T 1 9703 7781 0 -1 4194560 9000 0 0 0 1234 567 3 4 20 0 6 0 243594 2998272 414\n";
        Assert.True(ProcParsers.TryParseProcessStat(Encoding.ASCII.GetBytes(line), out var ticks, out var state));
        Assert.Equal(1234 + 567, ticks);
        Assert.Equal('T', state);
    }

    [Fact]
    public void Truncated_process_stat_is_refused()
    {
        Assert.False(ProcParsers.TryParseProcessStat("12 (sh) R 1 2 3"u8, out _, out _));
        Assert.False(ProcParsers.TryParseProcessStat("garbage"u8, out _, out _));
    }

    [Fact]
    public void Loadavg_gives_load_and_runnable_tasks()
    {
        Assert.True(ProcParsers.TryParseLoadAverage("5.20 10.26 9.84 14/177 10721\n"u8, out var load, out var runnable));
        Assert.Equal(5.2, load, 3);
        Assert.Equal(14, runnable);
    }

    [Fact]
    public void Proc_stat_cpu_line_gives_total_idle_and_steal()
    {
        var text = "cpu  279480 6598 49567 137792 3207 0 391 687 2 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"u8;
        Assert.True(ProcParsers.TryParseHostCpu(text, out var ticks));
        Assert.Equal(279480 + 6598 + 49567 + 137792 + 3207 + 0 + 391 + 687, ticks.Total);
        Assert.Equal(137792 + 3207, ticks.Idle);
        Assert.Equal(687, ticks.Steal);
    }

    [Fact]
    public void Pressure_and_schedstat_give_their_totals()
    {
        Assert.True(ProcParsers.TryParsePressureTotal("some avg10=51.40 avg60=47.34 avg300=74.10 total=1405005817\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"u8, out var micros));
        Assert.Equal(1405005817, micros);
        Assert.True(ProcParsers.TryParseSchedstatWait("1651865 14606425 3\n"u8, out var wait));
        Assert.Equal(14606425, wait);
    }
}
