using System.Collections.Concurrent;
using Needlework.Worker.Jobs;

namespace Needlework.Worker.Tests.Unit;

public sealed class RunnerProcessTests
{
    [Fact]
    public async Task TheRunnerStartsWithCallCountingOffUnlessTheWorkerSetsIt()
    {
        var pool = Directory.CreateTempSubdirectory("nw-runner-env-");
        try
        {
            var lines = new ConcurrentQueue<string>();
            // The worker appends the pool, the token and -q; sh takes them as positional parameters.
            using var runner = RunnerProcess.Start(["sh", "-c", "echo \"call counting=${DOTNET_TC_CallCounting-unset}\"", "sh"], pool.FullName, "token", lines.Enqueue);

            var exit = await runner.Exited.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, exit.ExitCode);
            var expected = Environment.GetEnvironmentVariable("DOTNET_TC_CallCounting") ?? "0";
            Assert.Equal([$"call counting={expected}"], lines.ToArray());
        }
        finally
        {
            pool.Delete(recursive: true);
        }
    }
}
