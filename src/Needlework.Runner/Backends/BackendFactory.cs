using Needlework.Runner.Backends.Qemu;
using Needlework.Runner.Backends.Vnc;
using Needlework.Runner.Variables;

namespace Needlework.Runner.Backends;

/// <summary>Makes the backend the job's BACKEND variable names: <c>qemu</c> (the default) or <c>vnc</c>.</summary>
public static class BackendFactory
{
    public static ISutBackend Create(JobVariables variables, string poolDirectory, RunnerLog log, TimeProvider time)
    {
        var backend = variables.Get("BACKEND", "qemu");
        return backend switch
        {
            "qemu" => new QemuBackend(QemuVariables.Parse(variables.Snapshot()), new QemuBackendOptions { PoolDirectory = poolDirectory, Log = log.Writer }, time),
            "vnc" => new VncBackend(VncBackendVariables.Parse(variables.Snapshot()), new VncBackendOptions { PoolDirectory = poolDirectory, Log = log.Writer }, time),
            _ => throw new JobVariableException("BACKEND", backend, "is not a backend Needlework has (qemu, vnc)"),
        };
    }
}
