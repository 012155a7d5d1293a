variable "image_tag" {
  type    = string
  default = "latest"
}

variable "release" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name                 = "orders"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecs_cluster" "main" {
  name = "shop"
}

resource "aws_ecs_task_definition" "orders" {
  family = "orders"
  container_definitions = jsonencode([
    {
      name  = "orders"
      image = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"
    },
    {
      name  = "worker"
      image = "${aws_ecr_repository.app.repository_url}:${var.release}"
    }
  ])
}

resource "aws_ecs_service" "orders" {
  name            = "orders"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.orders.arn
}
