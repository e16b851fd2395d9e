namespace Needlework.Runner.Slowness;

/// <summary>A growing series of timings added from any thread (needle searches, PNG encodes, responses), summarised on demand.</summary>
internal sealed class SampleSeries
{
    private readonly Lock _lock = new();
    private readonly List<float> _values = [];

    public void Add(double value)
    {
        lock (_lock)
        {
            _values.Add((float)value);
        }
    }

    public TimingSummary Summarise()
    {
        float[] copy;
        lock (_lock)
        {
            copy = [.. _values];
        }

        return TimingSummary.Of(copy);
    }
}
