using Slardar.Scriptable.Host.Proxy;

namespace Slardar.Scriptable.Tests.Proxy;

public sealed class ReplayableRequestBodyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slardar-body-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int chunk = 7)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    [Fact]
    public async Task Rewind_SmallBody_ReplaysFromMemory()
    {
        var body = Bytes(100);
        using var stream = new ReplayableRequestBody(new MemoryStream(body), memoryLimit: 1024, replayLimit: 4096, _folder);

        Assert.Equal(body, await ReadAllAsync(stream));
        stream.Rewind();
        Assert.Equal(body, await ReadAllAsync(stream, chunk: 64));
        Assert.False(stream.SpilledToDisk);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Rewind_BodyPastMemoryLimit_SpillsToTempFileAndReplaysIdentically()
    {
        var body = Bytes(100_000);
        using (var stream = new ReplayableRequestBody(new MemoryStream(body), memoryLimit: 40_000, replayLimit: 200_000, _folder))
        {
            Assert.Equal(body, await ReadAllAsync(stream, chunk: 4096));
            Assert.True(stream.SpilledToDisk);
            Assert.Single(Directory.GetFiles(_folder));
            stream.Rewind();
            Assert.Equal(body, await ReadAllAsync(stream, chunk: 999));
        }

        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Rewind_AfterPartialRead_ReplaysRecordedPartThenContinuesWithSource()
    {
        var body = Bytes(10_000);
        using var stream = new ReplayableRequestBody(new MemoryStream(body), memoryLimit: 1000, replayLimit: 100_000, _folder);
        var first = new byte[3000];
        await stream.ReadExactlyAsync(first);

        stream.Rewind();

        Assert.Equal(body, await ReadAllAsync(stream, chunk: 512));
        Assert.Equal(body.Length, stream.RecordedBytes);
    }

    [Fact]
    public async Task Read_BodyPastReplayLimit_StillStreamsButCannotReplay()
    {
        var body = Bytes(5000);
        using var stream = new ReplayableRequestBody(new MemoryStream(body), memoryLimit: 1000, replayLimit: 2000, _folder);

        Assert.Equal(body, await ReadAllAsync(stream, chunk: 256));
        Assert.False(stream.CanReplay);
        Assert.Throws<InvalidOperationException>(stream.Rewind);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Read_WhileAnotherReadIsPending_Throws()
    {
        var source = new GatedStream();
        using var stream = new ReplayableRequestBody(source, memoryLimit: 1000, replayLimit: 2000, _folder);
        var pending = stream.ReadAsync(new byte[10]).AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => _ = await stream.ReadAsync(new byte[10]));

        source.Release();
        Assert.Equal(0, await pending);
    }

    private sealed class GatedStream : MemoryStream
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.SetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _gate.Task;
            return 0;
        }
    }
}
