namespace Needlework.Web.Tests.Infrastructure;

/// <summary>Class fixture holding one web UI per test class, created on first use (so it can take the PostgreSQL collection fixture).</summary>
public sealed class FactoryHolder : IAsyncLifetime
{
    private readonly Lock gate = new();
    private WebUiFactory? factory;

    public WebUiFactory Get(Func<WebUiFactory> create)
    {
        lock (gate)
        {
            return factory ??= create();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }
}
