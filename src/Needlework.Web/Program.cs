using Needlework.Web;

await using var app = WebUiApp.Build(args);
await app.RunAsync();

/// <summary>The entry point, public for WebApplicationFactory.</summary>
public partial class Program;
