using Slardar.Scriptable.Host.Bodies;

namespace Slardar.Scriptable.Tests.Bodies;

/// <summary>A body read once from its source and kept while it streams, for retries and further readers.</summary>
public sealed class RecordedBodyTests : IDisposable
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
        using var recorded = new RecordedBody(new MemoryStream(body), null, 1024, 4096, _folder);
        var stream = recorded.OpenReader();

        Assert.Equal(body, await ReadAllAsync(stream));
        stream.Rewind();
        Assert.Equal(body, await ReadAllAsync(stream, chunk: 64));
        Assert.False(recorded.SpilledToDisk);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Rewind_BodyPastMemoryLimit_SpillsToTempFileAndReplaysIdentically()
    {
        var body = Bytes(100_000);
        using (var recorded = new RecordedBody(new MemoryStream(body), null, 40_000, 200_000, _folder))
        {
            var stream = recorded.OpenReader();
            Assert.Equal(body, await ReadAllAsync(stream, chunk: 4096));
            Assert.True(recorded.SpilledToDisk);
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
        using var recorded = new RecordedBody(new MemoryStream(body), null, 1000, 100_000, _folder);
        var stream = recorded.OpenReader();
        var first = new byte[3000];
        await stream.ReadExactlyAsync(first);

        stream.Rewind();

        Assert.Equal(body, await ReadAllAsync(stream, chunk: 512));
        Assert.Equal(body.Length, recorded.RecordedBytes);
    }

    [Fact]
    public async Task Read_BodyPastReplayLimit_StillStreamsButCannotReplay()
    {
        var body = Bytes(5000);
        using var recorded = new RecordedBody(new MemoryStream(body), null, 1000, 2000, _folder);
        var stream = recorded.OpenReader();

        Assert.Equal(body, await ReadAllAsync(stream, chunk: 256));
        Assert.False(stream.CanReplay);
        Assert.Throws<InvalidOperationException>(stream.Rewind);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Read_WhileAnotherReadIsPending_Throws()
    {
        var source = new GatedStream();
        using var recorded = new RecordedBody(source, null, 1000, 2000, _folder);
        var stream = recorded.OpenReader();
        var pending = stream.ReadAsync(new byte[10]).AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => _ = await stream.ReadAsync(new byte[10]));

        source.Release();
        Assert.Equal(0, await pending);
    }

    [Fact]
    public async Task OpenReader_TwoReadersOneAfterTheOther_SourceIsReadOnce()
    {
        var body = Bytes(50_000);
        var source = new CountingStream(body);
        using var recorded = new RecordedBody(source, body.Length, 10_000, 100_000, _folder);

        Assert.Equal(body, await ReadAllAsync(recorded.OpenReader(), chunk: 3000));
        Assert.Equal(body, await ReadAllAsync(recorded.OpenReader(), chunk: 777));

        Assert.Equal(body.Length, source.BytesRead);
    }

    [Fact]
    public async Task OpenReader_ReadersInterleaved_EachGetsTheWholeBody()
    {
        var body = Bytes(64_000);
        using var recorded = new RecordedBody(new MemoryStream(body), null, 8_000, 100_000, _folder);

        // Two senders side by side (a client body fanned out to two upstreams).
        var results = await Task.WhenAll(
            Task.Run(() => ReadAllAsync(recorded.OpenReader(), chunk: 1000)),
            Task.Run(() => ReadAllAsync(recorded.OpenReader(), chunk: 4096)));

        Assert.Equal(body, results[0]);
        Assert.Equal(body, results[1]);
    }

    [Fact]
    public async Task OpenReader_PastReplayLimit_TheLeaderStreamsOnAndANewReaderFailsClearly()
    {
        var body = Bytes(10_000);
        using var recorded = new RecordedBody(new MemoryStream(body), null, 1000, 2000, _folder);

        Assert.Equal(body, await ReadAllAsync(recorded.OpenReader(), chunk: 500));

        Assert.False(recorded.CanReplay);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(recorded.OpenReader()));
        Assert.Contains("replay limit", error.Message);
    }

    [Fact]
    public async Task OpenReader_WithoutCopyFirst_KeepsNothingAndStreamsOnce()
    {
        var body = Bytes(200_000);
        using var recorded = new RecordedBody(new MemoryStream(body), null, 1000, 1_000_000, _folder);

        Assert.Equal(body, await ReadAllAsync(recorded.OpenReader(keepCopy: false), chunk: 8192));

        Assert.Equal(0, recorded.RecordedBytes);
        Assert.False(recorded.SpilledToDisk);
        Assert.False(recorded.CanReplay);
    }

    [Fact]
    public async Task Read_AfterDispose_Throws()
    {
        var recorded = new RecordedBody(new MemoryStream(Bytes(100)), null, 1000, 2000, _folder);
        var reader = recorded.OpenReader();
        await ReadAllAsync(reader);
        recorded.Dispose();

        reader.Rewind();
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ReadAllAsync(reader));
        Assert.Throws<ObjectDisposedException>(() => recorded.OpenReader());
    }

    private sealed class CountingStream : MemoryStream
    {
        public CountingStream(byte[] bytes)
            : base(bytes)
        {
        }

        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }
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
