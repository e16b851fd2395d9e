using System.Threading.Channels;

namespace Needlework.Web.Scheduling;

/// <summary>Wakes the scheduler when a job or a worker becomes free; many wake-ups before a pass count as one.</summary>
public sealed class SchedulerSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => channel.Reader.ReadAsync(cancellationToken);
}
