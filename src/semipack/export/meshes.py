"""GLB (binary glTF 2.0) and STL through trimesh, an optional extra imported lazily.

GLB keeps one named node per body with a PBR material in the body's colour; STL,
which has no names or colours, holds the union of all bodies' triangles. Both are in
millimetres, with the package centred and its seating plane at z = 0.

References
----------
Khronos Group, glTF 2.0 Specification (2021).
3D Systems, StereoLithography Interface Specification (1988).
"""

from __future__ import annotations

from typing import Any

from semipack.errors import DesignError
from semipack.export.parts import Part

MM = 1e3


def _trimesh() -> Any:
    try:
        import trimesh
    except ImportError:  # pragma: no cover - the extra is part of the default install
        raise DesignError("format", "glb/stl", "needs trimesh: pip install 'semipack[cad]'") from None
    return trimesh


def _scene(parts: tuple[Part, ...], offset: tuple[float, float, float]) -> Any:
    trimesh = _trimesh()
    scene = trimesh.Scene()
    for p in parts:
        m = p.mesh.transformed(MM, offset)
        material = trimesh.visual.material.PBRMaterial(
            name=p.material,
            baseColorFactor=[round(c * 255) for c in p.color],
            metallicFactor=0.2,
            roughnessFactor=0.6,
            alphaMode="BLEND" if p.color[3] < 1 else "OPAQUE",
        )
        tm = trimesh.Trimesh(m.vertices, m.faces, process=False)
        tm.visual = trimesh.visual.TextureVisuals(material=material)
        scene.add_geometry(tm, node_name=p.name, geom_name=p.name)
    return scene


def glb(parts: tuple[Part, ...], offset: tuple[float, float, float]) -> bytes:
    """The binary glTF of ``parts``, in mm."""
    data = _scene(parts, offset).export(file_type="glb")
    return bytes(data)


def stl(parts: tuple[Part, ...], offset: tuple[float, float, float]) -> bytes:
    """A binary STL of all bodies' triangles, in mm."""
    trimesh = _trimesh()
    meshes = [trimesh.Trimesh(*_mm(p, offset), process=False) for p in parts]
    data = trimesh.util.concatenate(meshes).export(file_type="stl")
    return bytes(data)


def _mm(p: Part, offset: tuple[float, float, float]) -> tuple[Any, Any]:
    m = p.mesh.transformed(MM, offset)
    return m.vertices, m.faces
