using Shouldly;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

public sealed class ScriptTextTests
{
    [Fact]
    public void Truncate_UpTo4096Chars_IsTheTextItself()
    {
        var text = new string('a', 4096);

        ScriptText.Truncate(text).ShouldBeSameAs(text);
        ScriptText.Truncate(null).ShouldBe(string.Empty);
    }

    [Fact]
    public void Truncate_Longer_KeepsTheStartAndSaysHowMuchWasCut()
    {
        ScriptText.Truncate(new string('a', 20_000_000)).ShouldBe($"{new string('a', 4096)}…[truncated {20_000_000 - 4096} chars]");
    }

    [Fact]
    public void Truncate_AtASurrogatePair_NeverSplitsIt()
    {
        var text = new string('a', 4095) + "😀" + "b";

        ScriptText.Truncate(text).ShouldBe($"{new string('a', 4095)}…[truncated 3 chars]");
    }
}
