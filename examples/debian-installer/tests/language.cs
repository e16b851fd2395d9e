// The installer asks for a language with English preselected; choosing it leads to the location question.
public sealed class language : TestModule
{
    public override ModuleFlags Flags => ModuleFlags.Fatal;

    public override void Run()
    {
        AssertScreen("debian-installer-language", 300);
        SendKey("ret");
        AssertScreen("debian-installer-location", 60);
    }
}
