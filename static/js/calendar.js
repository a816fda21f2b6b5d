/* Booking calendars (FullCalendar, vendored). No inline script: everything comes from data-*.
 *
 * Times: the calendar runs in "UTC" and is fed the platform zone's wall-clock times with their
 * offset removed, so it shows platform time whatever the browser's zone; times it hands back
 * carry no offset, which the API reads in the platform zone. Its "now" (the now line, "today")
 * is the platform zone's wall clock read the same way, never the browser's UTC.
 */
(function () {
  "use strict";

  function wallTime(iso) {
    return iso.slice(0, 19);
  }

  function platformTime(fullCalendarText) {
    return fullCalendarText.replace(/Z$/, "").slice(0, 19);
  }

  // The platform zone's wall-clock time now, as "YYYY-MM-DDTHH:MM:SS" without an offset.
  function platformNow(timeZone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" +
      parts.hour + ":" + parts.minute + ":" + parts.second;
  }

  function businessHours(windows) {
    if (!windows.length) {
      return false; // open around the clock: nothing is shaded
    }
    var hours = [];
    windows.forEach(function (w) {
      var day = (w.weekday + 1) % 7; // API: Monday 0; FullCalendar: Sunday 0
      if (w.end > w.start) {
        hours.push({ daysOfWeek: [day], startTime: w.start, endTime: w.end });
      } else {
        hours.push({ daysOfWeek: [day], startTime: w.start, endTime: "24:00" });
        if (w.end !== "00:00") {
          hours.push({ daysOfWeek: [(day + 1) % 7], startTime: "00:00", endTime: w.end });
        }
      }
    });
    return hours;
  }

  function pad(hours) {
    return (hours < 10 ? "0" : "") + hours + ":00";
  }

  // The hours the instrument is open on any day, widened to the hour it is now so that the now
  // line stays in view, for the default view; null when always open or when a window runs past
  // midnight.
  function openSpan(windows, nowText) {
    if (!windows.length) return null;
    var first = "24:00", last = "00:00";
    for (var i = 0; i < windows.length; i++) {
      var w = windows[i];
      if (w.end <= w.start && w.end !== "00:00") return null;
      var end = w.end === "00:00" ? "24:00" : w.end;
      if (w.start < first) first = w.start;
      if (end > last) last = end;
    }
    var hour = parseInt(nowText.slice(11, 13), 10);
    if (pad(hour) < first) first = pad(hour);
    var after = hour + 2 > 24 ? "24:00" : pad(hour + 2);
    if (after > last) last = after;
    return { min: first + ":00", max: last + ":00" };
  }

  function isPhone() {
    return window.matchMedia("(max-width: 575.98px)").matches;
  }

  function showEstimate(data, start, end) {
    var out = document.getElementById("price-estimate");
    var price = parseFloat(data.hourlyPrice || "");
    if (!out || !price) return;
    var hours = (Date.parse(end + "Z") - Date.parse(start + "Z")) / 3600000;
    out.textContent = data.labelEstimate.replace("%s", (hours * price).toFixed(2));
    out.hidden = false;
  }

  function busyEvents(data, body) {
    var events = [];
    (body.busy || []).forEach(function (busy) {
      var downtime = busy.kind === "downtime";
      var title = busy.order_id ? data.labelSampleRun + " #" + busy.order_id
        : busy.mine ? data.labelMine
        : busy.user || (downtime ? data.labelDowntime : busy.kind === "hold" ? data.labelHold : data.labelBooking);
      var classes = [downtime ? "busy-downtime" : "busy-booking", busy.status ? "status-" + busy.status : ""];
      if (busy.mine) classes.push("busy-mine");
      var end = busy.booked_until || busy.end;
      events.push({ start: wallTime(busy.start), end: wallTime(end), title: title, classNames: classes, display: "block" });
      if (busy.booked_until) {
        events.push({
          start: wallTime(busy.booked_until), end: wallTime(busy.end), title: data.labelBuffer,
          classNames: ["busy-buffer"], display: "block"
        });
      }
    });
    return events;
  }

  function minutesText(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m + ":00";
  }

  function fillForm(start, end) {
    var form = document.getElementById("booking-form");
    if (!form) return;
    form.querySelector("[name=start]").value = start.slice(0, 16);
    form.querySelector("[name=end]").value = end.slice(0, 16);
    form.querySelector("[name=start]").focus();
    // The live estimate (estimate.js) prices the times as they change.
    form.dispatchEvent(new Event("change"));
  }

  // FullCalendar labels its toolbar buttons; the chevron glyphs inside them carry role="img"
  // without a name, which screen readers announce as an unnamed image.
  function markIconsDecorative(root) {
    root.querySelectorAll(".fc-icon").forEach(function (icon) {
      icon.removeAttribute("role");
      icon.setAttribute("aria-hidden", "true");
    });
  }

  function baseOptions(data, extra) {
    var options = {
      initialView: "timeGridWeek",
      timeZone: "UTC",
      locale: data.locale,
      firstDay: 1,
      height: "auto",
      allDaySlot: false,
      nowIndicator: true,
      now: function () { return platformNow(data.timezone || "Asia/Shanghai"); },
      datesSet: function (info) { markIconsDecorative(info.view.calendar.el); }
    };
    Object.keys(extra).forEach(function (key) { options[key] = extra[key]; });
    return options;
  }

  function initBookingCalendar(element) {
    var data = element.dataset;
    var readOnly = data.readonly === "1";
    var span = null, wholeDay = false;
    var phone = isPhone();
    var calendar = new FullCalendar.Calendar(element, baseOptions(data, {
      initialView: phone ? "timeGridDay" : "timeGridWeek",
      slotDuration: minutesText(parseInt(data.slotMinutes, 10)),
      snapDuration: minutesText(parseInt(data.slotMinutes, 10)),
      customButtons: {
        hours: {
          text: data.labelAllHours,
          click: function () {
            // Open hours by default; the other hours a click away.
            wholeDay = !wholeDay;
            calendar.setOption("slotMinTime", wholeDay || !span ? "00:00:00" : span.min);
            calendar.setOption("slotMaxTime", wholeDay || !span ? "24:00:00" : span.max);
          }
        }
      },
      headerToolbar: phone
        ? { left: "prev,next", center: "title", right: "today" }
        : { left: "prev,next today", center: "title", right: "hours timeGridWeek,timeGridDay,dayGridMonth" },
      footerToolbar: phone ? { center: "timeGridDay,listWeek hours" } : false,
      selectable: !readOnly,
      selectMirror: !readOnly,
      select: function (info) {
        fillForm(platformTime(info.startStr), platformTime(info.endStr));
        showEstimate(data, platformTime(info.startStr), platformTime(info.endStr));
      },
      events: function (info, success, failure) {
        var url = data.availabilityUrl + "?from=" + encodeURIComponent(platformTime(info.startStr)) +
          "&to=" + encodeURIComponent(platformTime(info.endStr));
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (body) {
            var windows = body.open_hours || [];
            calendar.setOption("businessHours", businessHours(windows));
            if (span === null && !wholeDay) {
              span = openSpan(windows, platformNow(data.timezone || "Asia/Shanghai")) || false;
              if (span) {
                calendar.setOption("slotMinTime", span.min);
                calendar.setOption("slotMaxTime", span.max);
              }
            }
            success(busyEvents(data, body));
          })
          .catch(failure);
      }
    }));
    calendar.render();
    document.querySelectorAll(".suggestion").forEach(function (button) {
      button.addEventListener("click", function () {
        fillForm(button.dataset.start, button.dataset.end);
        showEstimate(data, button.dataset.start, button.dataset.end);
      });
    });
  }

  function fetchAllBookings(baseUrl, from, to) {
    var items = [];
    function page(number) {
      var url = baseUrl + "?per_page=100&page=" + number + "&from=" + encodeURIComponent(from) +
        "&to=" + encodeURIComponent(to);
      return fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          items = items.concat(body.items || []);
          return items.length < body.total && body.items.length ? page(number + 1) : items;
        });
    }
    return page(1);
  }

  function initManagerCalendar(element) {
    var data = element.dataset;
    var calendar = new FullCalendar.Calendar(element, baseOptions(data, {
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth,listWeek" },
      events: function (info, success, failure) {
        fetchAllBookings(data.bookingsUrl, platformTime(info.startStr), platformTime(info.endStr))
          .then(function (bookings) {
            success(bookings.filter(function (b) {
              return b.status === "pending" || b.status === "approved" || b.status === "completed";
            }).map(function (b) {
              return {
                start: wallTime(b.start),
                end: wallTime(b.end),
                title: b.instrument_name + " · " + b.user_name,
                url: data.bookingUrl.replace(/0$/, String(b.id)),
                classNames: ["status-" + b.status]
              };
            }));
          })
          .catch(failure);
      }
    }));
    calendar.render();
  }

  var bookingCalendar = document.getElementById("calendar");
  if (bookingCalendar) initBookingCalendar(bookingCalendar);
  var managerCalendar = document.getElementById("manager-calendar");
  if (managerCalendar) initManagerCalendar(managerCalendar);
})();
