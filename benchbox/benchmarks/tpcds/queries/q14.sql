-- TPC-DS Q14 (Appendix B.14): (a) November sales per channel and brand/class/category of items
-- whose brand, class and category sell in all three channels over three years, where the group's
-- sales exceed the average sale, rolled up; (b) the same for store sales in one December week,
-- this year against last year.
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param DAY 11 ~ uniform(1, 28)
with common_triples as (
    select i_brand_id as brand_id, i_class_id as class_id, i_category_id as category_id
    from store_sales, item, date_dim
    where i_item_sk = ss_item_sk
      and d_date_sk = ss_sold_date_sk
      and d_year between ${YEAR} and ${YEAR} + 2
    intersect
    select i_brand_id, i_class_id, i_category_id
    from catalog_sales, item, date_dim
    where i_item_sk = cs_item_sk
      and d_date_sk = cs_sold_date_sk
      and d_year between ${YEAR} and ${YEAR} + 2
    intersect
    select i_brand_id, i_class_id, i_category_id
    from web_sales, item, date_dim
    where i_item_sk = ws_item_sk
      and d_date_sk = ws_sold_date_sk
      and d_year between ${YEAR} and ${YEAR} + 2
),
cross_channel_items as (
    select i_item_sk as item_sk
    from item, common_triples t
    where i_brand_id = t.brand_id
      and i_class_id = t.class_id
      and i_category_id = t.category_id
),
average_sale as (
    select avg(quantity * list_price) as amount
    from (
        select ss_quantity as quantity, ss_list_price as list_price
        from store_sales, date_dim
        where d_date_sk = ss_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 2
        union all
        select cs_quantity, cs_list_price
        from catalog_sales, date_dim
        where d_date_sk = cs_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 2
        union all
        select ws_quantity, ws_list_price
        from web_sales, date_dim
        where d_date_sk = ws_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 2
    ) all_sales
)
select
    channel,
    i_brand_id,
    i_class_id,
    i_category_id,
    sum(sales) as total_sales,
    sum(number_sales) as total_number_sales
from (
    select
        'store' as channel,
        i_brand_id,
        i_class_id,
        i_category_id,
        sum(ss_quantity * ss_list_price) as sales,
        count(*) as number_sales
    from store_sales, item, date_dim
    where ss_item_sk in (select item_sk from cross_channel_items)
      and i_item_sk = ss_item_sk
      and d_date_sk = ss_sold_date_sk
      and d_year = ${YEAR} + 2
      and d_moy = 11
    group by i_brand_id, i_class_id, i_category_id
    having sum(ss_quantity * ss_list_price) > (select amount from average_sale)
    union all
    select
        'catalog',
        i_brand_id,
        i_class_id,
        i_category_id,
        sum(cs_quantity * cs_list_price),
        count(*)
    from catalog_sales, item, date_dim
    where cs_item_sk in (select item_sk from cross_channel_items)
      and i_item_sk = cs_item_sk
      and d_date_sk = cs_sold_date_sk
      and d_year = ${YEAR} + 2
      and d_moy = 11
    group by i_brand_id, i_class_id, i_category_id
    having sum(cs_quantity * cs_list_price) > (select amount from average_sale)
    union all
    select
        'web',
        i_brand_id,
        i_class_id,
        i_category_id,
        sum(ws_quantity * ws_list_price),
        count(*)
    from web_sales, item, date_dim
    where ws_item_sk in (select item_sk from cross_channel_items)
      and i_item_sk = ws_item_sk
      and d_date_sk = ws_sold_date_sk
      and d_year = ${YEAR} + 2
      and d_moy = 11
    group by i_brand_id, i_class_id, i_category_id
    having sum(ws_quantity * ws_list_price) > (select amount from average_sale)
) by_channel
group by rollup (channel, i_brand_id, i_class_id, i_category_id)
order by channel, i_brand_id, i_class_id, i_category_id
limit 100
;
with common_triples as (
    select i_brand_id as brand_id, i_class_id as class_id, i_category_id as category_id
    from store_sales, item, date_dim
    where i_item_sk = ss_item_sk
      and d_date_sk = ss_sold_date_sk
      and d_year between ${YEAR} and ${YEAR} + 2
    intersect
    select i_brand_id, i_class_id, i_category_id
    from catalog_sales, item, date_dim
    where i_item_sk = cs_item_sk
      and d_date_sk = cs_sold_date_sk
      and d_year between ${YEAR} and ${YEAR} + 2
    intersect
    select i_brand_id, i_class_id, i_category_id
    from web_sales, item, date_dim
    where i_item_sk = ws_item_sk
      and d_date_sk = ws_sold_date_sk
      and d_year between ${YEAR} and ${YEAR} + 2
),
cross_channel_items as (
    select i_item_sk as item_sk
    from item, common_triples t
    where i_brand_id = t.brand_id
      and i_class_id = t.class_id
      and i_category_id = t.category_id
),
average_sale as (
    select avg(quantity * list_price) as amount
    from (
        select ss_quantity as quantity, ss_list_price as list_price
        from store_sales, date_dim
        where d_date_sk = ss_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 2
        union all
        select cs_quantity, cs_list_price
        from catalog_sales, date_dim
        where d_date_sk = cs_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 2
        union all
        select ws_quantity, ws_list_price
        from web_sales, date_dim
        where d_date_sk = ws_sold_date_sk
          and d_year between ${YEAR} and ${YEAR} + 2
    ) all_sales
)
,
december_week_sales as (
    -- store sales in the week holding December DAY, of either year
    select
        d_week_seq as week_seq,
        i_brand_id as brand_id,
        i_class_id as class_id,
        i_category_id as category_id,
        sum(ss_quantity * ss_list_price) as sales,
        count(*) as number_sales
    from store_sales, item, date_dim
    where ss_item_sk in (select item_sk from cross_channel_items)
      and i_item_sk = ss_item_sk
      and d_date_sk = ss_sold_date_sk
      and d_week_seq in (
            select d_week_seq
            from date_dim
            where d_year in (${YEAR}, ${YEAR} + 1)
              and d_moy = 12
              and d_dom = ${DAY}
        )
    group by d_week_seq, i_brand_id, i_class_id, i_category_id
    having sum(ss_quantity * ss_list_price) > (select amount from average_sale)
)
select
    'store' as ty_channel,
    ty.brand_id as ty_brand,
    ty.class_id as ty_class,
    ty.category_id as ty_category,
    ty.sales as ty_sales,
    ty.number_sales as ty_number_sales,
    'store' as ly_channel,
    ly.brand_id as ly_brand,
    ly.class_id as ly_class,
    ly.category_id as ly_category,
    ly.sales as ly_sales,
    ly.number_sales as ly_number_sales
from december_week_sales ty, december_week_sales ly
where ty.week_seq = (
        select d_week_seq from date_dim where d_year = ${YEAR} + 1 and d_moy = 12 and d_dom = ${DAY}
    )
  and ly.week_seq = (
        select d_week_seq from date_dim where d_year = ${YEAR} and d_moy = 12 and d_dom = ${DAY}
    )
  and ly.brand_id = ty.brand_id
  and ly.class_id = ty.class_id
  and ly.category_id = ty.category_id
order by ty.brand_id, ty.class_id, ty.category_id
limit 100
