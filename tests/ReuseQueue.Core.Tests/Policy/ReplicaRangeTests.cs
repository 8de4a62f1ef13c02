using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Tests.Policy;

public sealed class ReplicaRangeTests
{
    [Theory]
    [InlineData(3, 3, "3", true)]
    [InlineData(2, 5, "[2, 5]", false)]
    [InlineData(0, 1, "[0, 1]", false)]
    public void ToString_FixedOrRange_ReadsAsConfigFile(int min, int max, string expected, bool isFixed)
    {
        var range = new ReplicaRange(min, max);

        Assert.Equal(expected, range.ToString());
        Assert.Equal(isFixed, range.IsFixed);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(2, 2)]
    [InlineData(4, 4)]
    [InlineData(9, 5)]
    public void Clamp_Count_StaysWithinMinAndMax(int count, int expected)
    {
        Assert.Equal(expected, new ReplicaRange(2, 5).Clamp(count));
    }
}
