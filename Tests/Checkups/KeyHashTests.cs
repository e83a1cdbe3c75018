using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Xunit;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class KeyHashTests
{
    // Published MurmurHash3_x86_32 test vectors.
    [Theory]
    [InlineData("", 0u, 0u)]
    [InlineData("", 1u, 0x514E28B7u)]
    [InlineData("hello", 0u, 0x248BFA47u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0u, 0x2E4FF723u)]
    public void Hash_KnownVectors_Match(string text, uint seed, uint expected)
    {
        KeyHash.Hash(text, seed).ShouldBe(expected);
    }

    [Fact]
    public void Hash_LongKey_EqualsHashOfItsUtf8Bytes()
    {
        var key = "/" + new string('é', 2_000);

        KeyHash.Hash(key).ShouldBe(KeyHash.Hash(Encoding.UTF8.GetBytes(key), 0));
    }
}
