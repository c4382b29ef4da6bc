"""Surface geometry of the face mesh: triangles, normals, and how squarely each point faces the camera.

mediapipe's landmarks are 3-D (x, y in pixels, z in the same scale, smaller
is nearer the camera). With the tessellation's triangles, each landmark gets
a unit normal; ``-n_z`` is the cosine between the skin's normal and the
direction to the camera, which is also the direction to a phone screen next to
it: the Lambertian factor of colour-flash liveness.

>>> import numpy as np
>>> flat = np.zeros((478, 3)); flat[:, 0] = np.arange(478) % 20; flat[:, 1] = np.arange(478) // 20
>>> float(facing_cosine(flat)[:468].min())
1.0
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Landmarks on the eyes, irises and lips: not skin, not Lambertian (wet, specular or dark).
def _feature_points() -> frozenset[int]:
    import mediapipe as mp

    fm = mp.solutions.face_mesh
    sets = (fm.FACEMESH_LEFT_EYE, fm.FACEMESH_RIGHT_EYE, fm.FACEMESH_LIPS, fm.FACEMESH_IRISES)
    return frozenset(i for edges in sets for edge in edges for i in edge)


@lru_cache(maxsize=1)
def triangles() -> np.ndarray:
    """mediapipe's face-mesh triangles (from its tessellation edges), ``(T, 3)`` landmark indices."""
    import mediapipe as mp

    edges = mp.solutions.face_mesh.FACEMESH_TESSELATION
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    found = {tuple(sorted((a, b, c))) for a, b in edges for c in neighbours[a] & neighbours[b]}
    return np.array(sorted(found), dtype=np.int64)


@lru_cache(maxsize=1)
def skin_points() -> np.ndarray:
    """Indices of the 468 face points that lie on skin (eyes, irises and lips left out)."""
    features = _feature_points()
    return np.array([i for i in range(468) if i not in features], dtype=np.int64)


def vertex_normals(points: np.ndarray, tris: np.ndarray | None = None) -> np.ndarray:
    """Unit normals per point (``(N, 3)``, image axes; facing the camera means z < 0)."""
    tris = triangles() if tris is None else tris
    a, b, c = points[tris[:, 0]], points[tris[:, 1]], points[tris[:, 2]]
    faces = np.cross(b - a, c - a)
    # The face is seen from the front: orient every triangle towards the camera.
    faces *= np.where(faces[:, 2:3] > 0, -1.0, 1.0)
    normals = np.zeros_like(points, dtype=np.float64)
    for k in range(3):
        np.add.at(normals, tris[:, k], faces)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return normals / np.maximum(length, 1e-9)


def facing_cosine(landmarks: np.ndarray) -> np.ndarray:
    """Per face point (first 468), ``max(0, -n_z)``: 1 faces the camera, 0 is edge-on."""
    points = np.asarray(landmarks, np.float64)[:468]
    return np.clip(-vertex_normals(points)[:, 2], 0.0, 1.0)
