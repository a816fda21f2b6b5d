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
    var calendar = new FullCalendar.Calendar(element, baseOptions(data, {
      slotDuration: minutesText(parseInt(data.slotMinutes, 10)),
      snapDuration: minutesText(parseInt(data.slotMinutes, 10)),
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridWeek,dayGridMonth" },
      selectable: true,
      selectMirror: true,
      select: function (info) {
        fillForm(platformTime(info.startStr), platformTime(info.endStr));
      },
      events: function (info, success, failure) {
        var url = data.availabilityUrl + "?from=" + encodeURIComponent(platformTime(info.startStr)) +
          "&to=" + encodeURIComponent(platformTime(info.endStr));
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (body) {
            calendar.setOption("businessHours", businessHours(body.open_hours || []));
            success((body.busy || []).map(function (busy) {
              var downtime = busy.kind === "downtime";
              return {
                start: wallTime(busy.start),
                end: wallTime(busy.end),
                title: busy.order_id ? data.labelSampleRun + " #" + busy.order_id
                  : busy.user || (downtime ? data.labelDowntime : data.labelBooking),
                classNames: [downtime ? "busy-downtime" : "busy-booking", busy.status ? "status-" + busy.status : ""],
                display: "block"
              };
            }));
          })
          .catch(failure);
      }
    }));
    calendar.render();
    document.querySelectorAll(".suggestion").forEach(function (button) {
      button.addEventListener("click", function () {
        fillForm(button.dataset.start, button.dataset.end);
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
