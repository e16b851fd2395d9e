using Microsoft.Extensions.Configuration;
using Needlework.Worker.Configuration;

namespace Needlework.Worker.Tests.Unit;

public sealed class WorkersIniTests
{
    [Fact]
    public void InstanceSectionOverridesGlobalAndCommandLineOverridesBoth()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                [global]
                HOST = 127.0.0.1:9999
                WORKER_CLASS = qemu_x86_64,tap
                CRITICAL_LOAD_AVG_THRESHOLD = 12.5
                QEMURAM = 2048
                APIKEY = KEY1

                [2]
                WORKER_CLASS = qemu_x86_64,big
                QEMUCPUS = 4
                """);
            var ini = WorkersIni.Read(path, optional: false);

            var two = WorkersIni.Resolve(ini, new CommandLineSettings { Instance = 2, ApiSecret = "S" });
            Assert.Equal(new Uri("http://127.0.0.1:9999/"), two.Host);
            Assert.Equal("qemu_x86_64,big", two.WorkerClass);
            Assert.Equal(12.5, two.CriticalLoadAverageThreshold);
            Assert.Equal("KEY1", two.ApiKey);
            Assert.Equal("S", two.ApiSecret);
            Assert.Equal("2048", two.JobVariableOverrides["QEMURAM"]);
            Assert.Equal("4", two.JobVariableOverrides["QEMUCPUS"]);
            Assert.False(two.JobVariableOverrides.ContainsKey("WORKER_CLASS"));
            Assert.EndsWith("/2", two.PoolDirectory, StringComparison.Ordinal);

            var one = WorkersIni.Resolve(ini, new CommandLineSettings { Instance = 1, WorkerClass = "cli", Host = "https://web.example:8443" });
            Assert.Equal("cli", one.WorkerClass);
            Assert.Equal(new Uri("https://web.example:8443/"), one.Host);
            Assert.False(one.JobVariableOverrides.ContainsKey("QEMUCPUS"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BadNumbersAndHostsAreRefused()
    {
        Assert.Throws<FormatException>(() => WorkersIni.ParseHost("ftp://x"));
        var ini = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["global:CRITICAL_LOAD_AVG_THRESHOLD"] = "lots" }).Build();
        Assert.Throws<FormatException>(() => WorkersIni.Resolve(ini, new CommandLineSettings()));
    }
}
