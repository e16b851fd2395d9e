// `halt` powers the machine off through ACPI: the job ends with the SUT shut down.
public sealed class halt : TestModule
{
    public override ModuleFlags Flags => ModuleFlags.AlwaysRun;

    public override void Run()
    {
        EnterCmd("halt");
        AssertShutdown(30);
    }
}
