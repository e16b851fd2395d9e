// `c` in the menu opens GRUB's command line.
public sealed class console : TestModule
{
    public override ModuleFlags Flags => ModuleFlags.Fatal;

    public override void Run()
    {
        SendKey("c");
        AssertScreen("grub-console");
    }
}
