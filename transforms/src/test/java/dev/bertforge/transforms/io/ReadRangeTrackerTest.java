package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.junit.jupiter.api.Test;

class ReadRangeTrackerTest {
  @Test
  void checkpointsOnlyAfterAMarkedClaimAndKeepsTheRecordNumber() {
    ReadRangeTracker tracker = new ReadRangeTracker(new ReadRange(0, 100, 1));
    assertThat(tracker.tryClaim(new ReadRange.Claim(0, 6, 2, false)), equalTo(true));
    assertThat(tracker.trySplit(0), nullValue()); // not a checkpoint point
    assertThat(tracker.tryClaim(new ReadRange.Claim(6, 13, 3, true)), equalTo(true));
    assertThat(tracker.trySplit(0.5), nullValue()); // never a split ahead of the reader
    SplitResult<ReadRange> split = tracker.trySplit(0);
    assertThat(split.getPrimary(), equalTo(new ReadRange(0, 13, 1)));
    assertThat(split.getResidual(), equalTo(new ReadRange(13, 100, 3)));
    assertThat(tracker.tryClaim(new ReadRange.Claim(13, 20, 4, false)), equalTo(false));
    tracker.checkDone();
  }

  @Test
  void isDoneOnlyWhenTheRangeIsExhausted() {
    ReadRangeTracker tracker = new ReadRangeTracker(new ReadRange(0, ReadRange.TO_END, 0));
    assertThat(tracker.tryClaim(new ReadRange.Claim(0, 1, 5, true)), equalTo(true));
    assertThrows(IllegalStateException.class, tracker::checkDone);
    assertThat(tracker.tryClaim(ReadRange.Claim.END), equalTo(false));
    tracker.checkDone();
  }
}
