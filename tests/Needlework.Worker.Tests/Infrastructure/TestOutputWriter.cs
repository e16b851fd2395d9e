using System.Text;
using Xunit.Abstractions;

namespace Needlework.Worker.Tests.Infrastructure;

/// <summary>Routes the worker's log lines into the test's output.</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value) => output.WriteLine(value ?? string.Empty);
}
