"""Read Pythia's event record as numpy arrays, without one binding call per particle.

The Python bindings of Pythia hand out each ``Particle`` as a reference into the
event's ``std::vector<Particle>``, and every accessor (``px()``, ``id()``, ...) is one
call across the binding. Reading a jet's constituents that way is most of the cost of
the simulation outside Pythia itself.

The vector is one contiguous block of memory. :class:`RecordLayout` finds where each
field sits inside a ``Particle`` by comparing, on one real event, every candidate byte
offset against the accessors, and keeps only offsets that agree for every particle.
After that, :meth:`RecordLayout.view` reads a whole event as a numpy structured array
in a few microseconds.

Safety: nothing is read from memory unless the addresses of the first and the last
particle, as the bindings report them, lie exactly ``size - 1`` strides apart, so the
block read is the event's own vector. If the bindings do not hand out references, or
the layout cannot be matched (another Pythia version, another binding generator),
:meth:`RecordLayout.discover` returns ``None`` and the caller keeps to the accessors.
The arrays returned by :meth:`view` are valid until Pythia's next event; callers copy
what they keep (fancy indexing does).
"""

from __future__ import annotations

import ctypes
import logging

import numpy as np

logger = logging.getLogger(__name__)

# pybind11 keeps the C++ pointer of a bound object right after the Python object header.
_VALUE_POINTER_OFFSET = object.__basicsize__
_STRIDE_RANGE = (64, 1024)  # bytes; a Particle holds a dozen numbers and two pointers
_SAMPLE = 400  # particles compared with the accessors while matching the layout

# field -> (dtype, accessors whose values lie at consecutive positions of that dtype)
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("<i4", ("id",)),
    "status": ("<i4", ("status",)),
    "p": ("<f8", ("px", "py", "pz", "e")),
    "vertex": ("<f8", ("xProd", "yProd", "zProd")),
}


def address(bound: object) -> int:
    """The C++ address a pybind11 object refers to."""
    return int(ctypes.c_void_p.from_address(id(bound) + _VALUE_POINTER_OFFSET).value or 0)


class RecordLayout:
    """Byte offsets of the fields of Pythia's ``Particle``, checked on a real event."""

    def __init__(self, stride: int, offsets: dict[str, int]) -> None:
        self.stride = stride
        self.offsets = offsets
        formats = []
        for name in offsets:
            kind, accessors = _FIELDS[name]
            formats.append(kind if len(accessors) == 1 else (kind, (len(accessors),)))
        self._cached: tuple[int, np.ndarray] | None = None  # (base address, view)
        self.dtype = np.dtype(
            {
                "names": list(offsets),
                "formats": formats,
                "offsets": list(offsets.values()),
                "itemsize": stride,
            }
        )

    @classmethod
    def discover(cls, event: object) -> RecordLayout | None:
        """Match every field against the accessors on ``event``; ``None`` if any fails.

        ``event`` should be a full event (hundreds of particles, some with production
        vertices), so that no offset agrees with a field by chance: about 400 particles
        spread over the record are compared, every field of every one.
        """
        size = event.size()  # type: ignore[attr-defined]
        if size < 100:
            return None
        vector = _vector(event, size)
        if vector is None:
            return None
        base, stride = vector
        sample = list(range(0, size, max(1, size // _SAMPLE)))  # spread over the record
        block = _block(base, size, stride)[sample]
        offsets: dict[str, int] = {}
        for name, (kind, accessors) in _FIELDS.items():
            expected = np.array(
                [[getattr(event[i], a)() for a in accessors] for i in sample],  # type: ignore[index]
                dtype=kind,
            )
            if len(np.unique(expected)) < 3:  # too uniform to tell offsets apart
                return None
            offset = _find_offset(block, stride, expected)
            if offset is None:
                logger.debug("no offset of Particle matches %s", name)
                return None
            offsets[name] = offset
        layout = cls(stride, offsets)
        logger.debug("reading Pythia's record directly: stride %d, offsets %s", stride, offsets)
        return layout

    def view(self, event: object) -> np.ndarray | None:
        """The current event as a structured array; ``None`` if its memory is not as expected.

        Valid until Pythia changes the event.
        """
        size = event.size()  # type: ignore[attr-defined]
        vector = _vector(event, size) if size >= 2 else None
        if vector is None or vector[1] != self.stride:
            return None
        # Pythia keeps the vector's memory from event to event: reuse the last view
        # when the event starts at the same address and is no longer.
        base = vector[0]
        if self._cached is None or self._cached[0] != base or len(self._cached[1]) < size:
            block = _block(base, size, self.stride)
            self._cached = (base, block.view(self.dtype)[:, 0])
        return self._cached[1][:size]


def _vector(event: object, size: int) -> tuple[int, int] | None:
    """Address of the first particle and bytes between particles, or ``None``.

    ``None`` unless the bindings hand out references into one contiguous vector.
    """
    first, second, last = (address(event[i]) for i in (0, 1, size - 1))  # type: ignore[index]
    stride = second - first
    if first == 0 or not _STRIDE_RANGE[0] <= stride <= _STRIDE_RANGE[1]:
        return None
    if last != first + (size - 1) * stride:
        return None
    return first, stride


class _Memory:
    """Bytes at an address, as numpy's array interface describes them (read-only)."""

    def __init__(self, base: int, nbytes: int) -> None:
        self.__array_interface__ = {
            "data": (base, True),
            "shape": (nbytes,),
            "typestr": "|u1",
            "version": 3,
        }


def _block(base: int, size: int, stride: int) -> np.ndarray:
    """``size`` particles from address ``base`` as raw bytes [size, stride], not copied."""
    return np.asarray(_Memory(base, size * stride)).reshape(size, stride)


def _find_offset(raw: np.ndarray, stride: int, expected: np.ndarray) -> int | None:
    """The first offset at which ``expected`` [size, k] is stored, item by item."""
    _, width = expected.shape
    itemsize = expected.dtype.itemsize
    for offset in range(0, stride - width * itemsize + 1, itemsize):
        values = raw[:, offset : offset + width * itemsize].copy().view(expected.dtype)
        if np.array_equal(values, expected):
            return offset
    return None
