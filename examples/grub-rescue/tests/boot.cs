// The GRUB menu appears: nothing else can run without it.
public sealed class boot : TestModule
{
    public override ModuleFlags Flags => ModuleFlags.Fatal | ModuleFlags.Milestone;

    public override void Run() => AssertScreen("grub-menu", 60);
}
