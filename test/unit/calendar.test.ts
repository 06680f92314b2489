import { expect } from "chai";
import {
  callStatus,
  localDate,
  PROGRAMME_TIME_ZONE,
  systemClock,
  type CallStatus,
} from "../../server/domain/calendar.js";

describe("calendar", () => {
  it("runs on Moroccan civil time", () => {
    expect(PROGRAMME_TIME_ZONE).to.equal("Africa/Casablanca");
  });

  describe("localDate in Africa/Casablanca", () => {
    // Morocco keeps UTC+1 all year except during Ramadan, when it falls back to UTC+0 (the dates
    // move every year and come from tzdata). Every instant below is either far from Ramadan
    // (June–December 2026, January 2026) — so the offset is certainly +1 — or chosen so that both
    // offsets give the same date (12:00 UTC), which keeps the table independent of tzdata updates.
    const cases: Array<{ instant: string; expected: string; why: string }> = [
      { instant: "2026-06-15T10:00:00Z", expected: "2026-06-15", why: "11:00 local, mid-day" },
      { instant: "2026-06-30T22:59:59Z", expected: "2026-06-30", why: "23:59:59 local, still the 30th" },
      {
        instant: "2026-06-30T23:00:00Z",
        expected: "2026-07-01",
        why: "midnight local: already the 1st while UTC is on the 30th",
      },
      { instant: "2026-06-30T23:30:00Z", expected: "2026-07-01", why: "00:30 local" },
      { instant: "2026-07-01T00:00:00Z", expected: "2026-07-01", why: "01:00 local" },
      { instant: "2026-12-31T22:59:59Z", expected: "2026-12-31", why: "23:59:59 local on New Year's Eve" },
      {
        instant: "2026-12-31T23:00:00Z",
        expected: "2027-01-01",
        why: "local midnight: the year changes one hour before UTC's",
      },
      { instant: "2025-12-31T23:30:00Z", expected: "2026-01-01", why: "00:30 local on New Year's Day" },
      { instant: "2026-01-01T00:30:00Z", expected: "2026-01-01", why: "01:30 local" },
      {
        instant: "2026-03-01T12:00:00Z",
        expected: "2026-03-01",
        why: "in Ramadan; 12:00 or 13:00 local, the same day either way",
      },
    ];
    for (const { instant, expected, why } of cases) {
      it(`${instant} is ${expected} in Casablanca (${why})`, () => {
        expect(localDate(new Date(instant))).to.equal(expected);
      });
    }

    it("writes YYYY-MM-DD with zero padding", () => {
      expect(localDate(new Date("2026-02-03T12:00:00Z")))
        .to.match(/^\d{4}-\d{2}-\d{2}$/)
        .and.equal("2026-02-03");
    });
  });

  describe("callStatus (inclusive bounds)", () => {
    const window = { opensOn: "2026-03-01", closesOn: "2026-03-31" };
    const cases: Array<{ today: string; expected: CallStatus }> = [
      { today: "2025-12-31", expected: "upcoming" },
      { today: "2026-02-28", expected: "upcoming" },
      { today: "2026-03-01", expected: "open" },
      { today: "2026-03-15", expected: "open" },
      { today: "2026-03-31", expected: "open" },
      { today: "2026-04-01", expected: "closed" },
      { today: "2027-01-01", expected: "closed" },
    ];
    for (const { today, expected } of cases) {
      it(`a call from ${window.opensOn} to ${window.closesOn} is ${expected} on ${today}`, () => {
        expect(callStatus(window, today)).to.equal(expected);
      });
    }

    it("a one-day call is open on that day only", () => {
      const oneDay = { opensOn: "2026-05-10", closesOn: "2026-05-10" };
      expect([
        callStatus(oneDay, "2026-05-09"),
        callStatus(oneDay, "2026-05-10"),
        callStatus(oneDay, "2026-05-11"),
      ]).to.deep.equal(["upcoming", "open", "closed"]);
    });

    it("combined with localDate: a call closing on 30 June still accepts files at 23:30 UTC on the 29th, not at 23:30 UTC on the 30th", () => {
      const call = { opensOn: "2026-06-01", closesOn: "2026-06-30" };
      expect(callStatus(call, localDate(new Date("2026-06-29T23:30:00Z")))).to.equal("open");
      expect(callStatus(call, localDate(new Date("2026-06-30T22:30:00Z")))).to.equal("open");
      expect(callStatus(call, localDate(new Date("2026-06-30T23:30:00Z")))).to.equal("closed");
    });
  });

  it("systemClock tells the machine's time", () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).to.be.at.least(before).and.at.most(Date.now());
  });
});
