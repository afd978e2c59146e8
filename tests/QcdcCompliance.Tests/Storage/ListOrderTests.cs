using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Storage;

public sealed class ListOrderTests
{
    [Fact]
    public void A_list_out_of_order_anywhere_is_sorted_and_one_in_order_is_left_as_it_is()
    {
        var comparisons = 0;
        int Order(int a, int b)
        {
            comparisons++;
            return a.CompareTo(b);
        }

        var inOrder = Enumerable.Range(0, 1000).ToList();
        inOrder.SortUnlessSorted(Order);
        inOrder.Should().Equal(Enumerable.Range(0, 1000));
        comparisons.Should().Be(999, "a list in order is checked in one pass, not sorted");

        // Out of order only at its very end, and only at its start.
        var lastTwo = Enumerable.Range(0, 1000).Append(-1).ToList();
        lastTwo.SortUnlessSorted(Order);
        lastTwo.Should().Equal(Enumerable.Range(-1, 1001));
        var firstTwo = new[] { 5, 1 }.Concat(Enumerable.Range(6, 100)).ToList();
        firstTwo.SortUnlessSorted(Order);
        firstTwo.Should().Equal(new[] { 1, 5 }.Concat(Enumerable.Range(6, 100)));
    }
}
