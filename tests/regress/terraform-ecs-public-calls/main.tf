# Three Fargate services: `web` with a public IP whose security group lets the whole internet in on
# its port (inline ingress), `jobs` with a public IP whose group admits only the office, and `cart`,
# private, that `web` calls through Service Connect and that calls `stock` through Cloud Map.
resource "aws_ecs_cluster" "shop" {
  name = "shop"
}

resource "aws_service_discovery_http_namespace" "shop" {
  name = "shop"
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  name = "internal.shop"
  vpc  = "vpc-1"
}

resource "aws_service_discovery_service" "stock" {
  name = "stock"
  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.internal.id
    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}

resource "aws_security_group" "web" {
  name = "shop-web"
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "jobs" {
  name = "shop-jobs"
}

resource "aws_security_group_rule" "jobs_office" {
  type              = "ingress"
  security_group_id = aws_security_group.jobs.id
  from_port         = 9000
  to_port           = 9000
  protocol          = "tcp"
  cidr_blocks       = ["203.0.113.0/24"]
}

resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "acme/web:3.1.0"
    portMappings = [{ containerPort = 8080, name = "http" }]
    environment  = [{ name = "CART_URL", value = "http://cart:8080/api" }]
  }])
}

resource "aws_ecs_task_definition" "jobs" {
  family = "jobs"
  container_definitions = jsonencode([{
    name         = "jobs"
    image        = "acme/jobs:3.1.0"
    portMappings = [{ containerPort = 9000 }]
  }])
}

resource "aws_ecs_task_definition" "cart" {
  family = "cart"
  container_definitions = jsonencode([{
    name         = "cart"
    image        = "acme/cart:3.1.0"
    portMappings = [{ containerPort = 8080, name = "api" }]
    environment  = [{ name = "STOCK_HOST", value = "stock.internal.shop" }]
  }])
}

resource "aws_ecs_task_definition" "stock" {
  family = "stock"
  container_definitions = jsonencode([{
    name  = "stock"
    image = "acme/stock:3.1.0"
  }])
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.web.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = ["subnet-public"]
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = true
  }
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.shop.arn
  }
}

resource "aws_ecs_service" "jobs" {
  name            = "jobs"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.jobs.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = ["subnet-public"]
    security_groups  = [aws_security_group.jobs.id]
    assign_public_ip = true
  }
}

resource "aws_ecs_service" "cart" {
  name            = "cart"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.cart.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = ["subnet-private"]
    security_groups = [aws_security_group.web.id]
  }
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.shop.arn
    service {
      port_name      = "api"
      discovery_name = "cart"
      client_alias {
        port     = 8080
        dns_name = "cart.shop.local"
      }
    }
  }
}

resource "aws_ecs_service" "stock" {
  name            = "stock"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.stock.arn
  launch_type     = "FARGATE"
  service_registries {
    registry_arn = aws_service_discovery_service.stock.arn
  }
}
