"""What a resource page shows beyond its statements, one module (and one template
in ``templates/sections/``) per kind of resource; ``kinds`` says which kind a
resource is."""
