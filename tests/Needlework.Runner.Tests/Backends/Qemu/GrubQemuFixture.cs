namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>One booted grub-rescue QEMU shared by the tests of a class: booting once keeps the suite short.</summary>
public sealed class GrubQemuFixture : IAsyncLifetime
{
    private GrubQemu? _run;

    internal GrubQemu Run => _run ?? throw new InvalidOperationException("QEMU did not start");

    public async Task InitializeAsync()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _run = await GrubQemu.StartAsync(cancellationToken: budget.Token);
    }

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }
}
